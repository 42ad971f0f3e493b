"""A service's admin signs operators in from identity's access cookie alone (run as catalog)."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.auth.operators import ACCESS_COOKIE, NO_ADMIN_ACCESS, Operator, OperatorMiddleware
from common.testing.tokens import outsider_key

pytestmark = pytest.mark.django_db

ADMIN = "/catalog/admin/"
PRODUCTS = f"{ADMIN}catalog/product/?q=tea"
ACCESS = "catalog.admin.access"
RENEW = "/identity/operator/renew/"


def signed_in(client, token: str):
    client.cookies[ACCESS_COOKIE] = token
    return client


def renew_target(response) -> tuple[str, str]:
    """Where a redirect to identity's renew page leads, and the `next` it carries."""
    location = urlsplit(response["Location"])
    address = f"{location.scheme}://{location.netloc}{location.path}" if location.netloc else ""
    return address or location.path, parse_qs(location.query)["next"][0]


def test_without_the_cookie_the_admin_sends_the_browser_to_identity_with_next(client):
    response = client.get(PRODUCTS)

    assert response.status_code == 302
    assert renew_target(response) == (RENEW, PRODUCTS)


def test_with_identity_on_its_own_port_both_addresses_are_absolute(client, settings):
    settings.IDENTITY_PUBLIC_URL = "http://testserver:8001"

    response = client.get(PRODUCTS)

    assert renew_target(response) == (
        f"http://testserver:8001{RENEW}",
        f"http://testserver{PRODUCTS}",
    )


def test_the_admins_login_page_leads_to_identity_with_its_next(client):
    response = client.get(f"{ADMIN}login/", {"next": "/catalog/admin/catalog/category/"})

    assert renew_target(response) == (RENEW, "/catalog/admin/catalog/category/")


@pytest.mark.parametrize("kind", ["expired", "forged", "refresh", "garbage"])
def test_an_unusable_token_is_sent_to_identity_to_renew(client, token_minter, kind):
    token = {
        "expired": lambda: token_minter.token(scopes=[ACCESS], exp=int(time.time()) - 60),
        "forged": lambda: token_minter.token(scopes=[ACCESS], key=outsider_key()),
        "refresh": lambda: token_minter.token(scopes=[ACCESS], token_type="refresh"),
        "garbage": lambda: "not-a-token",
    }[kind]()

    response = signed_in(client, token).get(ADMIN)

    assert response.status_code == 302
    assert renew_target(response) == (RENEW, ADMIN)


def test_a_form_posted_with_an_expired_token_goes_on_to_renew_as_a_post(client, token_minter):
    expired = token_minter.token(scopes=[ACCESS], exp=int(time.time()) - 60)

    response = signed_in(client, expired).post(PRODUCTS, {"name": "Tea"})

    assert response.status_code == 307
    assert renew_target(response) == (RENEW, PRODUCTS)


def test_with_identity_on_its_own_port_a_posted_form_goes_to_renew_as_a_get(
    client, token_minter, settings
):
    settings.IDENTITY_PUBLIC_URL = "http://testserver:8001"
    expired = token_minter.token(scopes=[ACCESS], exp=int(time.time()) - 60)

    response = signed_in(client, expired).post(PRODUCTS, {"name": "Tea"})

    assert response.status_code == 302
    assert renew_target(response) == (
        "http://testserver:8001" + RENEW,
        f"http://testserver{PRODUCTS}",
    )


def test_a_token_without_this_admins_scope_is_refused_with_the_reason(client, token_minter):
    token = token_minter.token(scopes=["orders.admin.access", "catalog.product.read"])

    response = signed_in(client, token).get(ADMIN)

    assert response.status_code == 403
    assert NO_ADMIN_ACCESS in response.content.decode()
    assert "/identity/operator/sign-out/" in response.content.decode()


def test_a_valid_token_opens_the_admin_as_its_operator(client, token_minter):
    token = token_minter.token(
        scopes=[ACCESS, "catalog.product.read"],
        roles=["support"],
        subject="4f1c0b8e-8f0e-4a43-9d44-6c1f4f2b7d10",
        email="sam@mercato.test",
        zoneinfo="Europe/Paris",
    )

    response = signed_in(client, token).get(ADMIN)

    assert response.status_code == 200
    assert "catalog/product/" in response.content.decode()
    assert response.wsgi_request.operator == Operator(
        id="4f1c0b8e-8f0e-4a43-9d44-6c1f4f2b7d10",
        email="sam@mercato.test",
        roles=("support",),
        scopes=frozenset({ACCESS, "catalog.product.read"}),
        timezone="Europe/Paris",
    )
    user = get_user_model().objects.get(username="4f1c0b8e-8f0e-4a43-9d44-6c1f4f2b7d10")
    assert (user.email, user.is_staff, user.has_usable_password()) == (
        "sam@mercato.test",
        True,
        False,
    )


def test_an_operators_later_requests_write_nothing(client, token_minter):
    signed_in(client, token_minter.token(scopes=[ACCESS]))
    client.get(ADMIN)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(ADMIN)

    assert again.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert get_user_model().objects.count() == 1


def test_an_operator_whose_e_mail_changed_is_named_by_the_new_one(client, token_minter):
    operator = "4f1c0b8e-8f0e-4a43-9d44-6c1f4f2b7d10"
    signed_in(client, token_minter.token(scopes=[ACCESS], subject=operator, email="old@m.test"))
    client.get(ADMIN)

    signed_in(client, token_minter.token(scopes=[ACCESS], subject=operator, email="new@m.test"))
    page = client.get(ADMIN)

    assert page.status_code == 200
    user = get_user_model().objects.get(username=operator)
    assert (user.email, user.first_name) == ("new@m.test", "new@m.test")
    assert "new@m.test" in page.content.decode()


def test_the_operators_timezone_is_active_during_the_request_only(token_minter):
    seen = []
    request = RequestFactory().get(ADMIN)
    request.COOKIES[ACCESS_COOKIE] = token_minter.token(scopes=[ACCESS], zoneinfo="Asia/Tokyo")

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    OperatorMiddleware(view)(request)

    assert seen == ["Asia/Tokyo"]
    assert timezone.get_current_timezone_name() == "UTC"


def test_a_timezone_this_machine_does_not_know_is_utc():
    claims = {"sub": "x", "zoneinfo": "Mars/Olympus_Mons"}

    assert Operator.from_claims(claims).timezone == "UTC"


def test_the_admins_log_out_goes_on_to_identitys_sign_out_as_a_post(operator_client):
    client = operator_client()

    response = client.post(f"{ADMIN}logout/")

    assert response.status_code == 307
    location = urlsplit(response["Location"])
    assert location.path == "/identity/operator/sign-out/"
    assert parse_qs(location.query)["next"] == [ADMIN]


def test_the_cookie_signs_no_one_in_to_the_api(client, token_minter):
    signed_in(client, token_minter.token(scopes=[ACCESS, "catalog.product.read"]))

    assert client.get("/catalog/api/v1/whoami/").status_code == 401
