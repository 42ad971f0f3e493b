"""Fixtures every suite gets through the root conftest."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def fast_password_hasher(settings) -> None:
    """MD5 hashing for tests that create many users: the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
