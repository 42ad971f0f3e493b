"""identity's token endpoints: obtain, refresh with rotation, revoke, client credentials, JWKS."""

import jwt
import pytest

from apps.accounts.keys import jwks
from apps.accounts.models import Role, User
from tests.identity.conftest import TOKEN_URL

REFRESH_URL = "/identity/api/v1/auth/token/refresh/"
REVOKE_URL = "/identity/api/v1/auth/token/revoke/"
SERVICE_TOKEN_URL = "/identity/api/v1/auth/service-token/"
JWKS_URL = "/identity/.well-known/jwks.json"


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_a_customer_gets_tokens_whose_kid_the_jwks_publishes(api_client, sign_in):
    tokens = sign_in("customer@mercato.local")

    published = api_client.get(JWKS_URL).json()["keys"]
    header = jwt.get_unverified_header(tokens["access"])
    assert header["alg"] == "RS256"
    assert header["kid"] in {key["kid"] for key in published}
    assert all(set(key) == {"kty", "n", "e", "kid", "alg", "use"} for key in published)


def test_the_access_token_carries_the_claims_of_design_section_4(sign_in, settings):
    claims = claims_of(sign_in("manager@mercato.local")["access"])

    assert claims["iss"] == settings.JWT_ISSUER
    assert claims["aud"] == settings.JWT_AUDIENCE
    assert claims["email"] == "manager@mercato.local"
    assert claims["roles"] == ["catalog_manager"]
    assert "catalog.product.write" in claims["scope"].split()
    assert {"sub", "exp", "iat", "jti"} <= set(claims)


def test_a_wrong_password_is_a_401_problem_that_does_not_say_which_part_was_wrong(
    api_client, demo_users
):
    response = api_client.post(TOKEN_URL, {"email": "customer@mercato.local", "password": "nope"})

    assert response.status_code == 401
    assert response.json()["type"] == "urn:mercato:problem:invalid_credentials"
    assert response.json()["detail"] == "No active account has this e-mail and password."


def test_a_missing_field_is_a_400_naming_it(api_client, db):
    response = api_client.post(TOKEN_URL, {"email": "customer@mercato.local"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"password": ["This field is required."]}


def test_refreshing_rotates_and_a_used_refresh_token_is_refused(api_client, sign_in):
    first = sign_in("customer@mercato.local")

    rotated = api_client.post(REFRESH_URL, {"refresh": first["refresh"]})
    replayed = api_client.post(REFRESH_URL, {"refresh": first["refresh"]})

    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]
    assert replayed.status_code == 401
    assert replayed.json()["type"] == "urn:mercato:problem:token_not_valid"
    assert api_client.post(REFRESH_URL, {"refresh": rotated.json()["refresh"]}).status_code == 200


def test_a_refresh_carries_the_roles_the_user_holds_now(api_client, sign_in):
    tokens = sign_in("customer@mercato.local")
    User.objects.get(email="customer@mercato.local").roles.add(Role.objects.get(name="support"))

    refreshed = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).json()

    assert claims_of(refreshed["access"])["roles"] == ["customer", "support"]


def test_a_revoked_refresh_token_is_refused(api_client, sign_in):
    tokens = sign_in("customer@mercato.local")

    revoked = api_client.post(REVOKE_URL, {"refresh": tokens["refresh"]})

    assert revoked.status_code == 204
    assert api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).status_code == 401


def test_an_access_token_is_not_a_refresh_token(api_client, sign_in):
    tokens = sign_in("customer@mercato.local")

    assert api_client.post(REFRESH_URL, {"refresh": tokens["access"]}).status_code == 401


def test_a_service_signs_in_with_client_credentials_and_gets_only_its_roles(api_client, demo_users):
    response = api_client.post(
        SERVICE_TOKEN_URL,
        {"client_id": "orders", "client_secret": "orders-local-development-only"},
    )

    claims = claims_of(response.json()["access"])
    assert response.status_code == 200
    assert set(response.json()) == {"access"}
    assert claims["sub"] == "service:orders"
    assert claims["scope"] == "catalog.price.read_internal"
    assert "email" not in claims


def test_a_wrong_client_secret_is_a_401(api_client, demo_users):
    response = api_client.post(SERVICE_TOKEN_URL, {"client_id": "orders", "client_secret": "guess"})

    assert response.status_code == 401
    assert response.json()["type"] == "urn:mercato:problem:invalid_client"


@pytest.mark.django_db
def test_the_jwks_is_cacheable_by_clients(api_client):
    response = api_client.get(JWKS_URL)

    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    assert response.json() == jwks()


def test_signing_in_costs_eleven_queries_however_many_roles_a_user_holds(
    sign_in, django_assert_num_queries
):
    """The lockout check, the user, the success announced (last_login, django-axes' expired
    failures cleared, its access log, the account's failures cleared), the roles, the outstanding
    refresh token, and the current signing key once per encoded token (so a rotation reaches every
    process at once)."""
    User.objects.get(email="customer@mercato.local").roles.set(Role.objects.all())
    sign_in("customer@mercato.local")  # the first request also opens the connection

    with django_assert_num_queries(11):
        sign_in("customer@mercato.local")
