"""OAuth 2.0's password grant, which Swagger UI's "Authorize" posts: the same sign-in as the token
endpoint, lockout and sign-in throttle included, answered in OAuth2's shape."""

import base64
from urllib.parse import urlencode

from django.urls import reverse

from common.api.schema import OAUTH2_TOKEN_URL
from tests.identity.conftest import DEMO_PASSWORD, THROTTLED_ADDRESS, TOKEN_URL

CUSTOMER = "customer@mercato.local"
WHOAMI_URL = "/identity/api/v1/whoami/"
# What Swagger UI sends by default ("Client credentials location: Authorization header") when
# the client id and secret are left empty.
EMPTY_CLIENT = "Basic " + base64.b64encode(b":").decode()


def form_post(api_client, form: dict, **headers: str):
    """As Swagger UI posts it: application/x-www-form-urlencoded."""
    return api_client.generic(
        "POST",
        OAUTH2_TOKEN_URL,
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


def grant(password: str = DEMO_PASSWORD, **fields: str) -> dict[str, str]:
    return {"grant_type": "password", "username": CUSTOMER, "password": password, **fields}


def test_the_schemas_token_url_is_this_route():
    assert reverse("oauth2-token") == OAUTH2_TOKEN_URL


def test_an_email_and_password_get_an_oauth2_token_answer_whose_token_works(
    api_client, demo_users, settings
):
    response = form_post(api_client, grant(scope="", client_id=""), HTTP_AUTHORIZATION=EMPTY_CLIENT)

    body = response.json()
    assert response.status_code == 200, body
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "Bearer"
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()
    assert body["expires_in"] == lifetime
    assert response["Cache-Control"] == "no-store"
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    whoami = api_client.get(WHOAMI_URL).json()
    assert whoami["roles"] == ["customer"]


def test_a_wrong_password_is_the_token_endpoints_401(api_client, demo_users):
    response = form_post(api_client, grant("nope"))

    assert response.status_code == 401
    assert response.json()["type"] == "urn:mercato:problem:invalid_credentials"


def test_another_grant_type_is_a_400_naming_it(api_client, demo_users):
    response = form_post(api_client, grant(grant_type="client_credentials"))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"grant_type"}


def test_a_json_body_is_refused_as_oauth2_posts_a_form(api_client, demo_users):
    response = api_client.post(OAUTH2_TOKEN_URL, grant(), format="json")

    assert response.status_code == 415


def test_failures_here_lock_the_account_everywhere(api_client, demo_users):
    failures = [form_post(api_client, grant(f"wrong-{n}")).status_code for n in range(10)]

    locked_here = form_post(api_client, grant())
    locked_there = api_client.post(TOKEN_URL, {"email": CUSTOMER, "password": DEMO_PASSWORD})

    assert failures == [401] * 9 + [429]
    assert locked_here.status_code == 429
    assert locked_here.json()["type"] == "urn:mercato:problem:account_locked"
    assert locked_there.status_code == 429


def test_it_counts_against_the_same_sign_in_throttle(api_client, demo_users, strict_sign_in_rate):
    address = {"REMOTE_ADDR": THROTTLED_ADDRESS}
    here = [form_post(api_client, grant("x"), **address).status_code for _ in range(3)]

    there = api_client.post(TOKEN_URL, {"email": CUSTOMER, "password": "x"}, **address)

    assert here == [401, 401, 401]
    assert there.status_code == 429
