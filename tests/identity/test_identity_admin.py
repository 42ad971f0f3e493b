"""identity's own admin: the roles of the person signing in decide what it shows and allows."""

import pytest
from django.conf import settings

from apps.accounts.models import User
from apps.accounts.passwords import MAXIMUM_PASSWORD_LENGTH, TOO_LONG
from common.testing.events import published_data
from tests.identity.conftest import DEMO_PASSWORD

LOGIN_URL = "/identity/admin/login/"


@pytest.fixture
def admin_as(client, demo_users):
    def sign_in(email: str):
        response = client.post(LOGIN_URL, {"username": email, "password": DEMO_PASSWORD})
        return client, response

    return sign_in


@pytest.mark.usefixtures("https_only")
def test_signing_in_over_https_gives_a_secure_http_only_same_site_session_cookie(
    client, demo_users
):
    signed_in = client.post(
        LOGIN_URL,
        {"username": "admin@mercato.local", "password": DEMO_PASSWORD},
        HTTP_HOST="testserver",
        HTTP_X_FORWARDED_PROTO="https",
    )

    assert signed_in.status_code == 302, signed_in.content.decode()[-2000:]
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_support_reads_users_but_cannot_save_one(admin_as):
    client, signed_in = admin_as("support@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")

    change_page = client.get(f"/identity/admin/accounts/user/{customer.id}/change/")

    assert signed_in.status_code == 302
    assert client.get("/identity/admin/accounts/user/").status_code == 200
    assert change_page.status_code == 200
    assert b'name="_save"' not in change_page.content
    assert client.get("/identity/admin/accounts/serviceaccount/").status_code == 403


def test_an_admin_may_save_a_user(admin_as):
    client, _ = admin_as("admin@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")

    change_page = client.get(f"/identity/admin/accounts/user/{customer.id}/change/")

    assert b'name="_save"' in change_page.content


def test_a_customer_is_refused_with_a_reason(admin_as):
    _, refused = admin_as("customer@mercato.local")

    assert refused.status_code == 200
    assert "This account may not use this admin." in refused.content.decode()


def test_renaming_a_user_in_the_admin_announces_user_updated(admin_as):
    client, _ = admin_as("admin@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")
    change_url = f"/identity/admin/accounts/user/{customer.id}/change/"

    saved = client.post(
        change_url,
        {
            "email": customer.email,
            "full_name": "Cleo Renamed",
            "is_active": "on",
            "roles": [role.id for role in customer.roles.all()],
            "date_joined_0": customer.date_joined.date().isoformat(),
            "date_joined_1": customer.date_joined.time().strftime("%H:%M:%S"),
        },
    )

    assert saved.status_code == 302, saved.content.decode()[-2000:]
    assert published_data("user.updated") == [
        {"user_id": str(customer.id), "email": customer.email, "full_name": "Cleo Renamed"}
    ]


def test_the_admin_cannot_set_a_password_longer_than_sign_in_accepts(admin_as):
    client, _ = admin_as("admin@mercato.local")
    password = "Zq9!" * (MAXIMUM_PASSWORD_LENGTH // 4) + "x"

    response = client.post(
        "/identity/admin/accounts/user/add/",
        {"email": "long@mercato.test", "password1": password, "password2": password},
    )

    assert response.status_code == 200, response.content[:500]
    assert TOO_LONG in response.content.decode()
    assert not User.objects.filter(email="long@mercato.test").exists()
