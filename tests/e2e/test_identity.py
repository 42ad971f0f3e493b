"""Identity across real processes: tokens from identity, checked by every service's own gunicorn."""

import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.test import override_settings

from common.auth.keys import key_set
from common.clients.identity import ServiceTokenCache
from common.testing.forgery import forged_tokens
from common.testing.tokens import TokenMinter
from services import SERVICE_NAMES
from tests.e2e.shop import admin_login, answered, described, eventually

pytestmark = pytest.mark.e2e

# identity signs with a rotated key JWT_KEY_PUBLISH_AHEAD_SECONDS (10) after publishing it.
KEY_LEAD_DEADLINE_SECONDS = 30
READ_SIGNING_KEY = (
    "from apps.accounts.keys import signer; "
    "from cryptography.hazmat.primitives import serialization as s; "
    "kid, key = signer.current(); "
    "print(kid); "
    "print(key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode())"
)


def kid_of(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def whoami(http, platform, service: str, access_token: str):
    return http.get(
        platform.url(service, f"/{service}/api/v1/whoami/"),
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    )


@pytest.fixture(scope="module")
def identity_signer(platform) -> TokenMinter:
    """identity's own current key, read by an operator command, to sign tokens it never issued."""
    kid, pem = platform.manage("identity", "shell", "--no-imports", "-c", READ_SIGNING_KEY).split(
        "\n", 1
    )
    private_key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    return TokenMinter(private_key=private_key, kid=kid.strip())


def test_a_customer_token_names_a_key_the_jwks_publishes(platform, http, shop):
    tokens = shop.token_pair("customer@mercato.local")

    jwks_url = platform.url("identity", "/identity/.well-known/jwks.json")
    jwks = answered(http.get(jwks_url, timeout=5), 200).json()
    assert kid_of(tokens["access"]) in {key["kid"] for key in jwks["keys"]}


def test_creating_a_product_is_401_then_403_then_201(platform, http, shop):
    url = platform.url("catalog", "/catalog/api/v1/products/")
    sku = f"E2E-{uuid.uuid4().hex[:8]}"  # the suite's databases outlive a run
    product = {"sku": sku, "name": f"Blend {sku}", "price": "9.90", "category": "coffee"}
    customer = shop.sign_in("customer@mercato.local")
    manager = shop.sign_in("manager@mercato.local")

    anonymous = http.post(url, json=product, timeout=10)
    as_customer = http.post(url, json=product, headers={"Authorization": f"Bearer {customer}"})
    as_manager = http.post(url, json=product, headers={"Authorization": f"Bearer {manager}"})

    answers = (anonymous, as_customer, as_manager)
    assert [answer.status_code for answer in answers] == [401, 403, 201], [
        described(answer) for answer in answers
    ]
    assert {r.headers["Content-Type"] for r in (anonymous, as_customer)} == {
        "application/problem+json"
    }


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_service_refuses_every_forgery(platform, http, identity_signer, service):
    forgeries = forged_tokens(identity_signer)

    answers = {name: whoami(http, platform, service, token) for name, token in forgeries.items()}

    accepted = {
        name: described(answer) for name, answer in answers.items() if answer.status_code != 401
    }
    assert accepted == {}
    genuine = whoami(http, platform, service, identity_signer.token())
    assert genuine.status_code == 200, described(genuine)


def test_tokens_from_before_and_after_a_rotation_work_everywhere(platform, http, shop):
    before = shop.sign_in("customer@mercato.local")

    platform.manage("identity", "rotate_signing_key")
    after = eventually(
        lambda: signed_with_another_key(shop, than=before),
        timeout=KEY_LEAD_DEADLINE_SECONDS,
        every=0.5,
        what="identity signing with the new key",
    )

    # The new key was published ahead of signing, so no service refuses its first token.
    answers = [
        whoami(http, platform, service, token)
        for service in SERVICE_NAMES
        for token in (before, after)
    ]
    assert [described(answer) for answer in answers if answer.status_code != 200] == []


def signed_with_another_key(shop, *, than: str) -> str | None:
    """A new customer token, if identity signed it with another key than the token `than`."""
    token = shop.sign_in("customer@mercato.local")
    return token if kid_of(token) != kid_of(than) else None


def test_a_refresh_token_works_once_and_not_after_revoke(platform, http, shop):
    refresh_url = platform.url("identity", "/identity/api/v1/auth/token/refresh/")
    revoke_url = platform.url("identity", "/identity/api/v1/auth/token/revoke/")
    first = shop.token_pair("customer@mercato.local")["refresh"]

    rotated = answered(http.post(refresh_url, json={"refresh": first}, timeout=10), 200)
    reused = http.post(refresh_url, json={"refresh": first}, timeout=10)
    revoked = http.post(revoke_url, json={"refresh": rotated.json()["refresh"]}, timeout=10)
    after_revoke = http.post(refresh_url, json={"refresh": rotated.json()["refresh"]}, timeout=10)

    answers = (reused, revoked, after_revoke)
    assert [answer.status_code for answer in answers] == [401, 204, 401], [
        described(answer) for answer in answers
    ]


def test_a_service_token_is_fetched_once_and_reused_until_near_expiry(platform):
    cache = ServiceTokenCache()
    key_set.cache_clear()

    with override_settings(
        IDENTITY_URL=platform.url("identity", ""),
        SERVICE_NAME="orders",
        SERVICE_CLIENT_SECRET="orders-local-development-only",
        JWKS_URL=platform.url("identity", "/identity/.well-known/jwks.json"),
        JWT_KEY_SET="common.auth.keys.remote_key_set",
    ):
        first, second = cache.get(), cache.get()
    key_set.cache_clear()

    assert first == second
    assert jwt.decode(first, options={"verify_signature": False})["sub"] == "service:orders"


def test_ten_wrong_passwords_at_the_operators_sign_in_lock_the_account_everywhere(platform, http):
    email = f"locked-{uuid.uuid4().hex[:8]}@mercato.test"
    password = "a-long-passphrase-7"
    registered = http.post(
        platform.url("identity", "/identity/api/v1/auth/register/"),
        json={"email": email, "password": password},
        timeout=10,
    )
    assert registered.status_code == 201, described(registered)

    for attempt in range(10):
        admin_login(http, platform, "catalog", email, f"wrong-{attempt}")
    locked_page = admin_login(http, platform, "catalog", email, password).text
    token = http.post(
        platform.url("identity", "/identity/api/v1/auth/token/"),
        json={"email": email, "password": password},
        timeout=10,
    )

    assert "This account is locked after 10 failed sign-ins." in locked_page
    assert token.status_code == 429, described(token)
    assert int(token.headers["Retry-After"]) > 0
