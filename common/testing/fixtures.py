"""Fixtures every suite gets through the root conftest."""

import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def operator_client(client: Client, db: None) -> Callable[..., Client]:
    """`operator_client(*scopes)`: the test client signed in to this service's admin as an
    operator identity granted `scopes` (the sign-in itself is identity's, tested there)."""

    def sign_in(*scopes: str) -> Client:
        operator = get_user_model().objects.create(
            username=f"operator-{uuid.uuid4()}", is_staff=True, is_active=True
        )
        # As IdentitySignInBackend does: remember_scopes reads them off the signed-in user.
        operator.granted_scopes = frozenset(scopes)  # type: ignore[attr-defined]
        client.force_login(operator, backend="common.auth.operators.IdentitySignInBackend")
        return client

    return sign_in
