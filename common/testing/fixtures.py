"""Fixtures every suite gets through the root conftest."""

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import get_resolver
from pytest_django import Settings
from rest_framework.test import APIClient

from common.auth.operators import ACCESS_COOKIE
from common.auth.scopes import admin_access_scope
from common.read_cache import read_caches_invalidate

if TYPE_CHECKING:
    from common.testing.tokens import TokenMinter

# What HTTPS_ONLY sets wherever DEBUG is off; the suites load their settings under DEBUG.
HTTPS_ONLY_SETTINGS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}
# What pytest-django's django_capture_on_commit_callbacks gives: the callbacks, run on exit.
CapturedCommits = AbstractContextManager[list[Callable[[], None]]]


@pytest.fixture
def https_only(settings: Settings) -> None:
    """This service as production runs it, behind a proxy that terminates TLS."""
    for name, value in HTTPS_ONLY_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def fresh_read_caches() -> None:
    """No test reads what an earlier one (or an earlier run) left in the read cache: each starts
    on a new generation of every scope this service's views cache (common/api/caching.py)."""
    get_resolver().url_patterns  # noqa: B018 - imports the views, which declare their scopes
    read_caches_invalidate()


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., CapturedCommits],
) -> Callable[[], CapturedCommits]:
    """`with committed():` runs what waits for the commit at the end of the block, as a real
    commit would (a test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def operator_client(client: Client, db: None, token_minter: "TokenMinter") -> Callable[..., Client]:
    """`operator_client(*scopes)`: the test client signed in to this service's admin as an
    operator granted `scopes` and this admin's access, holding the access cookie identity's
    sign-in sets (the sign-in itself is identity's, tested there)."""

    def sign_in(*scopes: str, timezone: str = "UTC") -> Client:
        email = f"operator-{uuid.uuid4()}@mercato.test"
        user_model = get_user_model()
        # The operator's row, as their first request in this admin would make it.
        if user_model.USERNAME_FIELD == "username":
            subject = str(uuid.uuid4())
            user_model._default_manager.create(
                username=subject, email=email, first_name=email, is_staff=True
            )
        else:
            subject = str(user_model._default_manager.create(email=email).pk)
        client.cookies[ACCESS_COOKIE] = token_minter.token(
            scopes=(admin_access_scope(settings.SERVICE_NAME), *scopes),
            subject=subject,
            email=email,
            zoneinfo=timezone,
        )
        return client

    return sign_in
