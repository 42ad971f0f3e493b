"""identity's signing keys: made, thumbprinted, published as a JWKS, and held parsed per process."""

import threading
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings

from apps.accounts.models import SigningKey
from common.auth.keys import CachedKeySet, public_keys

KEY_SIZE = 2048


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def private_key_pem(private_key: rsa.RSAPrivateKey) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def longest_token_lifetime() -> timedelta:
    lifetime: timedelta = api_settings.REFRESH_TOKEN_LIFETIME
    return lifetime


def published_signing_keys(*, now: datetime | None = None) -> QuerySet[SigningKey]:
    """Keys that may still verify a live token: unretired, or retired less than a lifetime ago."""
    oldest_live_retirement = (now or timezone.now()) - longest_token_lifetime()
    return SigningKey.objects.filter(
        Q(retired_at__isnull=True) | Q(retired_at__gt=oldest_live_retirement)
    )


def jwks() -> dict[str, list[dict]]:
    return {"keys": [key.public_jwk for key in published_signing_keys()]}


def signing_keys(*, now: datetime | None = None) -> QuerySet[SigningKey]:
    """Keys allowed to sign at `now`, the current signer first."""
    now = now or timezone.now()
    return SigningKey.objects.filter(
        Q(retired_at__isnull=True) | Q(retired_at__gt=now), signs_from__lte=now
    ).order_by("-signs_from")


class Signer:
    """The current signing key, parsed once per process and again only after a rotation."""

    def __init__(self) -> None:
        self.private_keys: dict[str, Any] = {}
        self.lock = threading.Lock()

    def current(self) -> tuple[str, Any]:
        kid = signing_keys().values_list("kid", flat=True).first()
        if kid is None:
            raise LookupError("identity has no signing key; run ./manage.py identity migrate")
        if kid not in self.private_keys:
            with self.lock:
                pem = SigningKey.objects.values_list("private_key_pem", flat=True).get(kid=kid)
                self.private_keys[kid] = serialization.load_pem_private_key(
                    pem.encode(), password=None
                )
        return kid, self.private_keys[kid]


signer = Signer()


def local_key_set() -> CachedKeySet:
    """identity verifies its own tokens from its database, not over HTTP."""
    return CachedKeySet(
        load=lambda: public_keys(jwks()),
        max_age=settings.JWKS_MAX_AGE_SECONDS,
        min_reload_interval=settings.JWKS_MIN_REFETCH_SECONDS,
    )
