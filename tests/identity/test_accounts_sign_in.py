"""identity's operator sign-in page: the cookies it sets, what it refuses, renewing, signing out."""

import jwt
import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from apps.accounts.models import User
from common.auth.operators import ACCESS_COOKIE, REFRESH_COOKIE
from tests.identity.conftest import DEMO_PASSWORD, THROTTLED_ADDRESS, TOKEN_URL

SIGN_IN_URL = "/identity/operator/sign-in/"
RENEW_URL = "/identity/operator/renew/"
SIGN_OUT_URL = "/identity/operator/sign-out/"
REFRESH_URL = "/identity/api/v1/auth/token/refresh/"
ADMIN = "admin@mercato.local"
CUSTOMER = "customer@mercato.local"
OVER_HTTPS = {"HTTP_HOST": "testserver", "HTTP_X_FORWARDED_PROTO": "https"}


def sign_in(client, email: str = ADMIN, password: str = DEMO_PASSWORD, *, next="/orders/admin/"):
    return client.post(SIGN_IN_URL, {"username": email, "password": password, "next": next})


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_the_form_asks_for_an_e_mail_and_a_password_and_keeps_next(client, demo_users):
    page = client.get(SIGN_IN_URL, {"next": "/catalog/admin/"})

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="username"' in content
    assert 'name="password"' in content
    assert 'name="next" value="/catalog/admin/"' in content


def test_signing_in_sets_both_token_cookies_and_goes_to_next(client, demo_users, settings):
    signed_in = sign_in(client)

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/orders/admin/"
    access, refresh = signed_in.cookies[ACCESS_COOKIE], signed_in.cookies[REFRESH_COOKIE]
    assert (access["path"], access["httponly"], access["samesite"]) == ("/", True, "Lax")
    assert access["max-age"] == int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds())
    assert (refresh["path"], refresh["httponly"]) == ("/identity/operator/", True)
    claims = claims_of(access.value)
    assert claims["email"] == ADMIN
    assert "orders.admin.access" in claims["scope"].split()
    assert claims["zoneinfo"] == "UTC"
    assert claims_of(refresh.value)["token_type"] == "refresh"


@pytest.mark.usefixtures("https_only")
def test_over_https_both_cookies_are_secure(client, demo_users, settings):
    settings.HTTPS_ONLY = True

    signed_in = client.post(
        SIGN_IN_URL, {"username": ADMIN, "password": DEMO_PASSWORD}, **OVER_HTTPS
    )

    assert signed_in.status_code == 302, signed_in.content.decode()[-1000:]
    assert signed_in.cookies[ACCESS_COOKIE]["secure"] is True
    assert signed_in.cookies[REFRESH_COOKIE]["secure"] is True


def test_the_token_carries_the_operators_timezone(client, demo_users):
    User.objects.filter(email=ADMIN).update(timezone="Europe/Paris")

    signed_in = sign_in(client)

    assert claims_of(signed_in.cookies[ACCESS_COOKIE].value)["zoneinfo"] == "Europe/Paris"


def test_a_wrong_password_shows_the_form_again_with_the_reason_and_no_cookie(client, demo_users):
    refused = sign_in(client, password="wrong")

    assert refused.status_code == 200
    assert "No active account has this e-mail and password." in refused.content.decode()
    assert ACCESS_COOKIE not in refused.cookies


def test_ten_wrong_passwords_lock_the_account_for_the_form_and_the_api(
    client, api_client, demo_users
):
    failures = [sign_in(client, CUSTOMER, f"wrong-{n}").status_code for n in range(10)]

    locked = sign_in(client, CUSTOMER, DEMO_PASSWORD)
    token = api_client.post(TOKEN_URL, {"email": CUSTOMER, "password": DEMO_PASSWORD})

    assert failures == [200] * 9 + [429]
    assert locked.status_code == 429
    assert "This account is locked after 10 failed sign-ins" in locked.content.decode()
    assert 'name="username"' in locked.content.decode()
    assert ACCESS_COOKIE not in locked.cookies
    assert token.status_code == 429


def test_the_form_shares_the_token_endpoints_sign_in_rate(
    client, api_client, demo_users, strict_sign_in_rate
):
    address = {"REMOTE_ADDR": THROTTLED_ADDRESS}
    api_client.post(TOKEN_URL, {"email": CUSTOMER, "password": "x"}, **address)
    answers = [
        client.post(SIGN_IN_URL, {"username": CUSTOMER, "password": "x"}, **address)
        for _ in range(3)
    ]

    throttled = answers[-1]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Too many sign-in attempts" in throttled.content.decode()
    assert 0 < int(throttled["Retry-After"]) <= 60


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/orders/admin/",
        "/\\evil.example/",
        "http://user@testserver/orders/admin/",
        "javascript:alert(1)",
        "orders/admin/",
        "http://[testserver/",
    ],
)
def test_a_next_leading_off_the_site_is_refused_for_identitys_admin(client, demo_users, next_url):
    signed_in = sign_in(client, next=next_url)

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/identity/admin/"


def test_a_next_on_this_host_name_at_another_port_is_kept(client, demo_users):
    """A service reached on its own port shares the cookies, so it may be gone back to."""
    signed_in = sign_in(client, next="http://testserver:8002/catalog/admin/")

    assert signed_in["Location"] == "http://testserver:8002/catalog/admin/"


def test_renewing_rotates_the_refresh_token_and_sets_a_fresh_access_cookie(
    client, api_client, demo_users
):
    first = sign_in(client)
    used_refresh = first.cookies[REFRESH_COOKIE].value

    renewed = client.get(RENEW_URL, {"next": "/payments/admin/"})

    assert renewed.status_code == 302
    assert renewed["Location"] == "/payments/admin/"
    assert renewed.cookies[ACCESS_COOKIE].value != first.cookies[ACCESS_COOKIE].value
    assert renewed.cookies[REFRESH_COOKIE].value != used_refresh
    assert api_client.post(REFRESH_URL, {"refresh": used_refresh}).status_code == 401


def test_a_form_an_admin_posted_with_an_expired_cookie_goes_back_posted_with_fresh_cookies(
    client, demo_users
):
    first = sign_in(client)
    change_form = "/catalog/admin/catalog/product/1/change/"

    renewed = client.post(f"{RENEW_URL}?next={change_form}", {"price": "9.50", "_save": "Save"})

    assert renewed.status_code == 307
    assert renewed["Location"] == change_form
    assert renewed.cookies[ACCESS_COOKIE].value != first.cookies[ACCESS_COOKIE].value


def test_a_renewal_posted_by_another_site_is_refused_and_rotates_nothing(client, demo_users):
    refresh = sign_in(client).cookies[REFRESH_COOKIE].value

    refused = client.post(f"{RENEW_URL}?next=/catalog/admin/", HTTP_SEC_FETCH_SITE="cross-site")

    assert refused.status_code == 403
    assert REFRESH_COOKIE not in refused.cookies
    assert not BlacklistedToken.objects.filter(token__jti=claims_of(refresh)["jti"]).exists()


def test_a_posted_renewal_without_a_refresh_cookie_shows_an_empty_sign_in_form(client, demo_users):
    page = client.post(f"{RENEW_URL}?next=/catalog/admin/", {"price": "9.50"})

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="password"' in content
    assert "This field is required" not in content


def test_renewing_without_a_refresh_cookie_shows_the_sign_in_form(client, demo_users):
    page = client.get(RENEW_URL, {"next": "/payments/admin/"})

    assert page.status_code == 200
    assert 'name="next" value="/payments/admin/"' in page.content.decode()


def test_renewing_with_a_used_refresh_cookie_shows_the_form(client, api_client, demo_users):
    sign_in(client)
    api_client.post(REFRESH_URL, {"refresh": client.cookies[REFRESH_COOKIE].value})

    page = client.get(RENEW_URL)

    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()


def test_signing_out_revokes_the_refresh_token_and_clears_both_cookies(client, demo_users):
    refresh = sign_in(client).cookies[REFRESH_COOKIE].value

    signed_out = client.post(f"{SIGN_OUT_URL}?next=/catalog/admin/")

    assert signed_out.status_code == 302
    assert signed_out["Location"] == "/identity/operator/sign-in/?next=%2Fcatalog%2Fadmin%2F"
    assert signed_out.cookies[ACCESS_COOKIE].value == ""
    assert signed_out.cookies[ACCESS_COOKIE]["path"] == "/"
    assert signed_out.cookies[REFRESH_COOKIE].value == ""
    assert BlacklistedToken.objects.filter(token__jti=claims_of(refresh)["jti"]).exists()
    assert client.get(RENEW_URL).status_code == 200  # the form again: nothing left to renew


def test_a_sign_out_another_site_started_is_refused(client, demo_users):
    refresh = sign_in(client).cookies[REFRESH_COOKIE].value

    refused = client.post(SIGN_OUT_URL, HTTP_SEC_FETCH_SITE="cross-site")

    assert refused.status_code == 403
    assert not BlacklistedToken.objects.filter(token__jti=claims_of(refresh)["jti"]).exists()
