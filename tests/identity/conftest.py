"""identity suites: the demo people with their roles, and helpers to get their tokens."""

from io import StringIO

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher, get_hashers
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.throttling import SimpleRateThrottle

from apps.accounts.management.commands.load_demo_data import DEMO_PASSWORD

TOKEN_URL = "/identity/api/v1/auth/token/"
# The address the sign-in throttle tests sign in from, three times a minute at most.
THROTTLED_ADDRESS = "198.51.100.7"


@pytest.fixture
def fast_password_hasher(settings) -> None:
    """MD5 hashing for tests that create many users: the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class CountingHasher(MD5PasswordHasher):
    """MD5, remembering the length of every password it hashes, to store or to check one."""

    def __init__(self) -> None:
        self.lengths: list[int] = []

    def encode(self, password: str, salt: str) -> str:
        self.lengths.append(len(password))
        return super().encode(password, salt)


@pytest.fixture
def demo_users(db, fast_password_hasher) -> None:
    call_command("load_demo_data", stdout=StringIO())


@pytest.fixture
def sign_in(api_client, demo_users):
    """`sign_in(email)` returns the pair of tokens identity issues for that demo user."""

    def obtain(email: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        response = api_client.post(TOKEN_URL, {"email": email, "password": password})
        assert response.status_code == 200, response.content
        return response.json()

    return obtain


@pytest.fixture
def hashed_lengths(settings, demo_users) -> list[int]:
    """The length of each password hashed from now on (the demo users' hashes still verify)."""
    settings.PASSWORD_HASHERS = ["tests.identity.conftest.CountingHasher"]
    return get_hashers()[0].lengths


@pytest.fixture
def strict_sign_in_rate(monkeypatch):
    """DRF reads its rates once into the throttle class, so that is where the test sets them;
    the counters live in Redis, so a run starts from the ones an earlier run left at zero."""
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "sign_in": "3/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.delete_many([f"throttle_{scope}_{THROTTLED_ADDRESS}" for scope in rates])
