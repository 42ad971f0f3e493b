"""Fixtures every suite gets through the root conftest."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def operator_client(client, db):
    """`operator_client(*scopes)`: the test client signed in to this service's admin as an
    operator identity granted `scopes` (the sign-in itself is identity's, tested there)."""

    def sign_in(*scopes: str):
        operator = get_user_model().objects.create(
            username=f"operator-{uuid.uuid4()}", is_staff=True, is_active=True
        )
        operator.granted_scopes = frozenset(scopes)
        client.force_login(operator, backend="common.auth.operators.IdentitySignInBackend")
        return client

    return sign_in
