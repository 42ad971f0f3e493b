"""identity suites: the demo people with their roles, and helpers to get their tokens."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.management.commands.load_demo_data import DEMO_PASSWORD

TOKEN_URL = "/identity/api/v1/auth/token/"


@pytest.fixture
def fast_password_hasher(settings) -> None:
    """MD5 hashing for tests that create many users: the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
