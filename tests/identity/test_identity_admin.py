"""identity's own admin: the roles of the person signing in decide what it shows and allows; an
admin deactivates users (revoking their tokens) and rotates the signing key, confirmed and
audited."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from apps.accounts.models import SigningKey, User
from apps.accounts.passwords import MAXIMUM_PASSWORD_LENGTH, TOO_LONG
from apps.accounts.services import NOT_THE_SIGNER
from common.audit.models import AuditEntry
from common.testing.admin import action_run
from common.testing.events import published_data
from tests.identity.conftest import DEMO_PASSWORD
from tests.identity.test_tokens_api import REFRESH_URL

SIGN_IN_URL = "/identity/operator/sign-in/"


@pytest.fixture
def admin_as(client, demo_users):
    """`admin_as(email)`: signed in through the operators' sign-in page, on to this admin."""

    def sign_in(email: str):
        client.post(SIGN_IN_URL, {"username": email, "password": DEMO_PASSWORD})
        return client, client.get("/identity/admin/")

    return sign_in


def test_support_reads_users_but_cannot_save_one(admin_as):
    client, signed_in = admin_as("support@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")

    change_page = client.get(f"/identity/admin/accounts/user/{customer.id}/change/")

    assert signed_in.status_code == 200
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

    assert refused.status_code == 403
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
            "timezone": "UTC",
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


def test_an_admin_sets_a_users_timezone_and_an_unknown_one_is_refused(admin_as):
    client, _ = admin_as("admin@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")
    change_url = f"/identity/admin/accounts/user/{customer.id}/change/"
    form = {
        "email": customer.email,
        "full_name": customer.full_name,
        "is_active": "on",
        "roles": [role.id for role in customer.roles.all()],
        "date_joined_0": customer.date_joined.date().isoformat(),
        "date_joined_1": customer.date_joined.time().strftime("%H:%M:%S"),
    }

    unknown = client.post(change_url, {**form, "timezone": "Mars/Olympus_Mons"})
    saved = client.post(change_url, {**form, "timezone": "America/Sao_Paulo"})

    assert unknown.status_code == 200
    assert "is not a time zone" in unknown.content.decode()
    assert saved.status_code == 302, saved.content.decode()[-2000:]
    customer.refresh_from_db()
    assert customer.timezone == "America/Sao_Paulo"


USERS_ADMIN = "/identity/admin/accounts/user/"
KEYS_ADMIN = "/identity/admin/accounts/signingkey/"


def test_an_admin_deactivates_a_user_whose_refresh_tokens_are_then_refused(
    admin_as, sign_in, api_client
):
    tokens = sign_in("customer@mercato.local")
    client, _ = admin_as("admin@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")

    run = action_run(client, USERS_ADMIN, "deactivate", [customer], request_id="deactivate-1")

    assert b"Deactivate the selected users and revoke their tokens?" in run.confirmation.content
    assert b"refresh tokens revoked" in run.done.content
    customer.refresh_from_db()
    assert not customer.is_active
    assert not OutstandingToken.objects.filter(user=customer, blacklistedtoken__isnull=True)
    assert api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).status_code == 401
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.actor_email, entry.action, entry.target_id) == (
        str(User.objects.get(email="admin@mercato.local").id),
        "admin@mercato.local",
        "identity.user.deactivate",
        str(customer.id),
    )
    assert (entry.before, entry.after, entry.request_id) == (
        {"is_active": True},
        {"is_active": False},
        "deactivate-1",
    )


def test_deactivating_through_the_api_revokes_the_tokens_too(sign_in, api_client):
    tokens = sign_in("customer@mercato.local")
    admin = sign_in("admin@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")

    patched = api_client.patch(
        f"/identity/api/v1/users/{customer.id}/",
        {"is_active": False},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {admin['access']}",
    )

    assert patched.status_code == 200
    assert api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).status_code == 401
    assert not OutstandingToken.objects.filter(user=customer, blacklistedtoken__isnull=True)


def test_unticking_active_in_the_change_form_revokes_the_tokens_too(admin_as, sign_in, api_client):
    tokens = sign_in("customer@mercato.local")
    client, _ = admin_as("admin@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")

    saved = client.post(
        f"{USERS_ADMIN}{customer.id}/change/",
        {
            "email": customer.email,
            "full_name": customer.full_name,
            "roles": [role.id for role in customer.roles.all()],
            "date_joined_0": customer.date_joined.date().isoformat(),
            "date_joined_1": customer.date_joined.time().strftime("%H:%M:%S"),
            "timezone": customer.timezone,
        },
    )

    assert saved.status_code == 302, saved.content.decode()[-2000:]
    assert api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).status_code == 401
    assert not OutstandingToken.objects.filter(user=customer, blacklistedtoken__isnull=True)


def test_support_is_neither_offered_nor_allowed_to_deactivate(admin_as):
    client, _ = admin_as("support@mercato.local")
    customer = User.objects.get(email="customer@mercato.local")

    listing = client.get(USERS_ADMIN)
    run = action_run(client, USERS_ADMIN, "deactivate", [customer])

    assert listing.status_code == 200
    assert b'value="deactivate"' not in listing.content
    assert b"refresh tokens revoked" not in run.done.content
    customer.refresh_from_db()
    assert customer.is_active
    assert not AuditEntry.objects.exists()


def test_an_admin_rotates_the_signing_key_and_the_audit_names_its_successor(admin_as):
    client, _ = admin_as("admin@mercato.local")
    current = SigningKey.objects.get(retired_at__isnull=True)

    run = action_run(client, KEYS_ADMIN, "rotate", [current], request_id="rotate-1")

    assert b"Rotate the selected signing key?" in run.confirmation.content
    current.refresh_from_db()
    successor = SigningKey.objects.get(retired_at__isnull=True)
    assert current.retired_at == successor.signs_from
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_id, entry.request_id) == (
        "identity.signing_key.rotate",
        current.kid,
        "rotate-1",
    )
    assert (entry.before["retired_at"], entry.after["successor_kid"]) == (None, successor.kid)


def test_a_retired_key_is_not_rotated_again(admin_as):
    client, _ = admin_as("admin@mercato.local")
    current = SigningKey.objects.get(retired_at__isnull=True)
    action_run(client, KEYS_ADMIN, "rotate", [current])

    again = action_run(client, KEYS_ADMIN, "rotate", [current])

    assert NOT_THE_SIGNER.encode() in again.done.content
    assert SigningKey.objects.count() == 2


def test_support_cannot_rotate_the_signing_key(admin_as):
    client, _ = admin_as("support@mercato.local")
    current = SigningKey.objects.get(retired_at__isnull=True)

    refused = client.post(
        KEYS_ADMIN, {"action": "rotate", "_selected_action": [current.kid], "confirmed": "yes"}
    )

    assert refused.status_code == 403
    assert SigningKey.objects.count() == 1
    assert not AuditEntry.objects.exists()
