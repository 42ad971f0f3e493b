"""Runs once per service's settings: forged, stale or foreign tokens get 401, a valid one 200."""

import pytest
from django.conf import settings

from common.testing.forgery import forged_tokens
from common.testing.tokens import TokenMinter


def whoami_url() -> str:
    return f"/{settings.SERVICE_NAME}/api/v1/whoami/"


@pytest.fixture
def forgeries(token_minter: TokenMinter) -> dict[str, str]:
    return forged_tokens(token_minter)


@pytest.mark.django_db
def test_a_valid_token_is_accepted_and_read_without_a_user_table(
    client, token_minter, django_assert_num_queries
):
    headers = token_minter.authorization(
        subject="0b8e4f5a-2f7e-4a43-9f0c-5d8e2f3b1a10", roles=["support"], scopes=["a.b.read"]
    )

    with django_assert_num_queries(0):
        response = client.get(whoami_url(), **headers)

    assert response.status_code == 200
    assert response.json() == {
        "id": "0b8e4f5a-2f7e-4a43-9f0c-5d8e2f3b1a10",
        "email": "someone@mercato.test",
        "roles": ["support"],
        "scopes": ["a.b.read"],
    }


@pytest.mark.parametrize(
    "forgery",
    [
        "alg none",
        "HS256 with the public key as secret",
        "expired",
        "wrong audience",
        "wrong issuer",
        "payload altered after signing",
        "unknown kid",
        "key never published",
    ],
)
def test_a_forged_or_stale_token_gets_401_problem(client, forgeries, forgery):
    response = client.get(whoami_url(), HTTP_AUTHORIZATION=f"Bearer {forgeries[forgery]}")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="mercato"'
    assert response.json()["type"] == "urn:mercato:problem:authentication_failed"


def test_no_token_gets_401_problem(client):
    response = client.get(whoami_url())

    assert response.status_code == 401
    assert response.json()["type"] == "urn:mercato:problem:not_authenticated"


def test_a_refresh_token_is_not_an_access_token(client, token_minter):
    response = client.get(whoami_url(), **token_minter.authorization(token_type="refresh"))

    assert response.status_code == 401
