"""Key rotation: a new key signs at once, old keys verify until their tokens expire."""

from datetime import timedelta
from io import StringIO

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.keys import (
    jwks,
    new_private_key,
    private_key_pem,
    published_signing_keys,
    signing_keys,
)
from apps.accounts.models import SigningKey
from apps.accounts.services import signing_key_add, signing_keys_ensure
from common.auth.keys import key_set, public_jwk

pytestmark = pytest.mark.django_db

WHOAMI_URL = "/identity/api/v1/whoami/"


def published_kids() -> set[str]:
    return {key["kid"] for key in jwks()["keys"]}


def test_migrate_leaves_exactly_one_signing_key():
    assert SigningKey.objects.filter(retired_at__isnull=True).count() == 1


def test_a_new_key_is_published_at_once_but_signs_only_after_the_lead(settings):
    old = SigningKey.objects.get()
    settings.JWT_KEY_PUBLISH_AHEAD_SECONDS = 10

    new = signing_key_add()

    lead = timedelta(seconds=10)
    assert published_kids() == {old.kid, new.kid}
    assert signing_keys(now=new.signs_from - timedelta(seconds=1)).first() == old
    assert signing_keys(now=new.signs_from).first() == new
    assert new.signs_from - new.created_at == lead


def test_rotation_makes_a_new_signer_and_keeps_the_old_key_published(sign_in, api_client, settings):
    settings.JWT_KEY_PUBLISH_AHEAD_SECONDS = 0
    before = sign_in("customer@mercato.local")
    old_kid = jwt.get_unverified_header(before["access"])["kid"]

    call_command("rotate_signing_key", stdout=StringIO())
    after = sign_in("customer@mercato.local")

    new_kid = jwt.get_unverified_header(after["access"])["kid"]
    assert new_kid != old_kid
    assert published_kids() == {old_kid, new_kid}
    key_set.cache_clear()  # as a fresh process would start
    for tokens in (before, after):
        response = api_client.get(WHOAMI_URL, HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        assert response.status_code == 200


def test_a_retired_key_leaves_the_jwks_once_its_longest_token_has_expired(settings):
    old = SigningKey.objects.get()
    signing_key_add()
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]

    still_live = published_signing_keys(now=timezone.now() + lifetime - timedelta(minutes=1))
    all_expired = published_signing_keys(now=timezone.now() + lifetime + timedelta(minutes=1))

    assert old in still_live
    assert old not in all_expired


def test_a_key_mounted_as_a_file_is_imported_once_and_signs(tmp_path):
    private_key = new_private_key()
    (tmp_path / "signing.pem").write_text(private_key_pem(private_key))

    signing_keys_ensure(directory=tmp_path)
    signing_keys_ensure(directory=tmp_path)

    signer = SigningKey.objects.get(retired_at__isnull=True)
    assert signer.kid == public_jwk(private_key)["kid"]
    assert SigningKey.objects.count() == 2


def test_a_mounted_key_that_is_not_rsa_is_refused_by_its_file_name(tmp_path):
    """Tokens are RS256: another kind of key in the Secret is a configuration error, named."""
    not_rsa = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "signing.pem").write_bytes(not_rsa)
    keys_before = set(SigningKey.objects.values_list("kid", flat=True))

    with pytest.raises(ValueError, match=r"signing\.pem is not an RSA private key"):
        signing_keys_ensure(directory=tmp_path)
    assert set(SigningKey.objects.values_list("kid", flat=True)) == keys_before
