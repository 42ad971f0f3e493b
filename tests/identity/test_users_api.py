"""Registration, one's own profile and password, and reading or editing others by scope."""

import jwt
import pytest

from apps.accounts.api.serializers import MAXIMUM_SECRET_LENGTH
from apps.accounts.models import User
from apps.accounts.passwords import MAXIMUM_PASSWORD_LENGTH
from tests.identity.conftest import DEMO_PASSWORD, TOKEN_URL

REGISTER_URL = "/identity/api/v1/auth/register/"
ME_URL = "/identity/api/v1/users/me/"
PASSWORD_URL = "/identity/api/v1/users/me/password/"
USERS_URL = "/identity/api/v1/users/"
ROLES_URL = "/identity/api/v1/roles/"
SERVICE_TOKEN_URL = "/identity/api/v1/auth/service-token/"


@pytest.fixture
def as_user(api_client, sign_in):
    """`as_user(email)`: the API client, now sending that demo user's access token."""

    def authorise(email: str):
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {sign_in(email)['access']}")
        return api_client

    return authorise


def test_registering_creates_a_customer_who_can_sign_in(api_client, demo_users, sign_in):
    response = api_client.post(
        REGISTER_URL, {"email": "New@Mercato.Test", "password": "a-long-passphrase-7"}
    )

    assert response.status_code == 201
    assert response.json()["email"] == "new@mercato.test"
    assert response.json()["roles"] == ["customer"]
    assert sign_in("new@mercato.test", "a-long-passphrase-7")["access"]


def test_a_weak_password_is_refused_naming_the_field_and_creates_no_one(api_client, demo_users):
    response = api_client.post(REGISTER_URL, {"email": "weak@mercato.test", "password": "1234"})

    assert response.status_code == 400
    assert response.json()["type"] == "urn:mercato:problem:weak_password"
    assert "password" in response.json()["errors"]
    assert not User.objects.filter(email="weak@mercato.test").exists()


def test_an_email_already_registered_in_another_case_is_refused(api_client, demo_users):
    response = api_client.post(
        REGISTER_URL, {"email": "CUSTOMER@mercato.local", "password": "a-long-passphrase-7"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"email": ["An account with this e-mail already exists."]}


def test_a_name_in_any_script_is_stored_as_sent(api_client, demo_users):
    name = "Zoë 🍵 煎茶 Ωμέγα"

    response = api_client.post(
        REGISTER_URL,
        {"email": "zoe@mercato.test", "password": "a-long-passphrase-7", "full_name": name},
    )

    assert response.status_code == 201, response.content
    assert User.objects.get(email="zoe@mercato.test").full_name == name


def test_a_10000_character_name_is_a_400_naming_it_and_its_maximum(api_client, demo_users):
    response = api_client.post(
        REGISTER_URL,
        {
            "email": "long@mercato.test",
            "password": "a-long-passphrase-7",
            "full_name": "é" * 10_000,
        },
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "full_name": ["Ensure this field has no more than 200 characters."]
    }


def test_an_email_longer_than_its_column_is_a_400_naming_it(api_client, demo_users):
    email = "a" * 60 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63]) + ".test"

    response = api_client.post(REGISTER_URL, {"email": email, "password": "a-long-passphrase-7"})

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "email": ["Ensure this field has no more than 254 characters."]
    }


def test_json_nested_a_thousand_levels_deep_is_a_400_at_register(api_client, demo_users):
    body = '{"email": "deep@mercato.test", "password": ' + "[" * 1000 + "]" * 1000 + "}"

    response = api_client.post(REGISTER_URL, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["type"] == "urn:mercato:problem:parse_error"
    assert not User.objects.filter(email="deep@mercato.test").exists()


KIBIBYTE_PASSWORD = "Zq9!" * 256


@pytest.mark.parametrize(
    ("url", "body", "field", "maximum"),
    [
        pytest.param(
            REGISTER_URL,
            {"email": "long@mercato.test", "password": KIBIBYTE_PASSWORD},
            "password",
            MAXIMUM_PASSWORD_LENGTH,
            id="register",
        ),
        pytest.param(
            TOKEN_URL,
            {"email": "customer@mercato.local", "password": "x" * 1_000_000},
            "password",
            MAXIMUM_PASSWORD_LENGTH,
            id="sign-in with a 1 MB password",
        ),
        pytest.param(
            PASSWORD_URL,
            {"current_password": DEMO_PASSWORD, "new_password": KIBIBYTE_PASSWORD},
            "new_password",
            MAXIMUM_PASSWORD_LENGTH,
            id="new password",
        ),
        pytest.param(
            PASSWORD_URL,
            {"current_password": KIBIBYTE_PASSWORD, "new_password": "another-long-phrase"},
            "current_password",
            MAXIMUM_PASSWORD_LENGTH,
            id="current password",
        ),
        pytest.param(
            SERVICE_TOKEN_URL,
            {"client_id": "orders", "client_secret": "x" * 1_000_000},
            "client_secret",
            MAXIMUM_SECRET_LENGTH,
            id="service client secret",
        ),
    ],
)
def test_a_password_over_the_cap_is_a_400_naming_it_before_any_hash(
    as_user, hashed_lengths, url, body, field, maximum
):
    client = as_user("customer@mercato.local")

    response = client.post(url, body, format="json")

    assert response.status_code == 400, response.content[:500]
    assert response.json()["errors"] == {
        field: [f"Ensure this field has no more than {maximum} characters."]
    }
    assert [length for length in hashed_lengths if length > MAXIMUM_PASSWORD_LENGTH] == []
    assert not User.objects.filter(email="long@mercato.test").exists()


def test_a_password_as_long_as_the_cap_registers(api_client, demo_users):
    password = "Zq9!" * (MAXIMUM_PASSWORD_LENGTH // 4)

    response = api_client.post(REGISTER_URL, {"email": "cap@mercato.test", "password": password})

    assert response.status_code == 201, response.content
    assert User.objects.get(email="cap@mercato.test").check_password(password)


def test_a_customer_reads_and_renames_themself(as_user):
    client = as_user("customer@mercato.local")

    renamed = client.patch(ME_URL, {"full_name": "Cleo C."})

    assert renamed.status_code == 200
    assert client.get(ME_URL).json()["full_name"] == "Cleo C."


def test_a_person_sets_their_timezone_which_their_next_token_carries(as_user, sign_in):
    client = as_user("support@mercato.local")

    unknown = client.patch(ME_URL, {"timezone": "Europe/Atlantis"})
    changed = client.patch(ME_URL, {"timezone": "Asia/Tokyo"})

    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["timezone"]
    assert changed.status_code == 200
    assert changed.json()["timezone"] == "Asia/Tokyo"
    access = sign_in("support@mercato.local")["access"]
    assert jwt.decode(access, options={"verify_signature": False})["zoneinfo"] == "Asia/Tokyo"


def test_changing_the_password_checks_the_current_one_and_the_validators(as_user, sign_in):
    client = as_user("customer@mercato.local")

    wrong = client.post(
        PASSWORD_URL, {"current_password": "guess", "new_password": "another-long-phrase"}
    )
    weak = client.post(PASSWORD_URL, {"current_password": DEMO_PASSWORD, "new_password": "abc"})
    changed = client.post(
        PASSWORD_URL, {"current_password": DEMO_PASSWORD, "new_password": "another-long-phrase"}
    )

    assert wrong.status_code == 400
    assert list(wrong.json()["errors"]) == ["current_password"]
    assert weak.status_code == 400
    assert list(weak.json()["errors"]) == ["new_password"]
    assert changed.status_code == 204
    assert sign_in("customer@mercato.local", "another-long-phrase")["access"]


def test_a_customer_may_not_list_users_but_support_may(as_user):
    assert as_user("customer@mercato.local").get(USERS_URL).status_code == 403

    listed = as_user("support@mercato.local").get(USERS_URL)

    assert listed.status_code == 200
    assert listed.json()["count"] == 5


def test_support_reads_a_user_but_only_an_admin_changes_roles(as_user):
    customer = User.objects.get(email="customer@mercato.local")
    url = f"{USERS_URL}{customer.id}/"

    assert as_user("support@mercato.local").get(url).json()["email"] == customer.email
    assert as_user("support@mercato.local").patch(url, {"roles": ["support"]}).status_code == 403
    promoted = as_user("admin@mercato.local").patch(url, {"roles": ["customer", "support"]})

    assert promoted.status_code == 200
    assert promoted.json()["roles"] == ["customer", "support"]


def test_an_unknown_role_is_a_400_naming_the_field(as_user):
    customer = User.objects.get(email="customer@mercato.local")

    response = as_user("admin@mercato.local").patch(
        f"{USERS_URL}{customer.id}/", {"roles": ["wizard"]}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["roles"]


def test_roles_are_readable_with_the_role_read_scope(as_user):
    roles = as_user("support@mercato.local").get(ROLES_URL).json()["results"]

    assert {role["name"] for role in roles} >= {
        "customer",
        "support",
        "catalog_manager",
        "finance",
        "admin",
    }


def test_a_service_token_has_no_profile(api_client, token_minter):
    response = api_client.get(ME_URL, **token_minter.authorization(subject="service:orders"))

    assert response.status_code == 404


def test_listing_users_costs_two_queries_whatever_the_page_size(as_user, django_assert_num_queries):
    client = as_user("support@mercato.local")
    client.get(USERS_URL)

    for page_size in (1, 5):
        with django_assert_num_queries(2):  # the page with the count, and the page's roles
            client.get(USERS_URL, {"page_size": page_size})
