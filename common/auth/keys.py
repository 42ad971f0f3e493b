"""Public keys that verify access tokens, found by `kid` and cached per process."""

import base64
import hashlib
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import structlog
from django.conf import settings
from django.utils.module_loading import import_string

# PyJWT and cryptography are imported where keys are read, not with this module: see
# common/auth/tokens.py.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

logger = structlog.get_logger(__name__)


class KeySet(Protocol):
    def key_for(self, kid: str) -> Any | None:
        """The verifying key named `kid`, or None when no such key is published."""


class CachedKeySet:
    """Keys held per process and reloaded by `load()` (which returns `{kid: key}`).

    The keys are reloaded after `max_age` seconds. A token naming an unknown `kid` triggers a
    reload (that is how a rotated key is learnt without a restart), but at most one every
    `min_reload_interval` seconds, so a flood of forged `kid`s cannot turn into a flood of loads.
    """

    def __init__(
        self, *, load: Callable[[], dict[str, Any]], max_age: float, min_reload_interval: float
    ) -> None:
        self.load = load
        self.max_age = max_age
        self.min_reload_interval = min_reload_interval
        self.keys: dict[str, Any] = {}
        self.loaded_at = float("-inf")
        self.lock = threading.Lock()

    def key_for(self, kid: str) -> Any | None:
        if self.stale(kid):
            with self.lock:
                if self.stale(kid):
                    # Stamped once the load is over, so a request arriving meanwhile waits for
                    # the lock instead of finding an empty set that looks fresh; stamped even
                    # when the load fails, so a dead JWKS is not asked again on every request.
                    try:
                        self.keys = self.load()
                    finally:
                        self.loaded_at = time.monotonic()
        return self.keys.get(kid)

    def stale(self, kid: str) -> bool:
        age = time.monotonic() - self.loaded_at
        return age > self.max_age or (kid not in self.keys and age > self.min_reload_interval)


def public_keys(jwks: dict[str, Any]) -> dict[str, Any]:
    """The RS256 verifying keys of a JWKS document, by `kid`."""
    from jwt import PyJWKSet

    if not jwks.get("keys"):
        return {}
    return {
        key.key_id: key.key
        for key in PyJWKSet.from_dict(jwks).keys
        if key.key_id and key.algorithm_name == "RS256"
    }


def public_jwk(private_key: "RSAPrivateKey") -> dict[str, str]:
    """The public half as a JWK whose `kid` is its RFC 7638 thumbprint."""
    from jwt.algorithms import RSAAlgorithm

    jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    required_members = {name: jwk[name] for name in ("e", "kty", "n")}
    canonical = json.dumps(required_members, separators=(",", ":"), sort_keys=True).encode()
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()
    return {**required_members, "kid": kid, "alg": "RS256", "use": "sig"}


class JwksFetcher:
    """Loads identity's JWKS over HTTP; when that fails, the keys it last got keep working."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self.last_keys: dict[str, Any] = {}

    def __call__(self) -> dict[str, Any]:
        from jwt.exceptions import PyJWKError, PyJWKSetError

        try:
            with urllib.request.urlopen(self.url, timeout=self.timeout) as response:
                self.last_keys = public_keys(json.load(response))
        except (OSError, ValueError, PyJWKError, PyJWKSetError) as error:
            logger.warning("jwks_fetch_failed", url=self.url, error=str(error))
        return self.last_keys


def remote_key_set() -> CachedKeySet:
    return CachedKeySet(
        load=JwksFetcher(settings.JWKS_URL, timeout=settings.DEPENDENCY_TIMEOUT_SECONDS * 4),
        max_age=settings.JWKS_MAX_AGE_SECONDS,
        min_reload_interval=settings.JWKS_MIN_REFETCH_SECONDS,
    )


@cache
def key_set() -> KeySet:
    """This process's key set, built once by the factory named in `settings.JWT_KEY_SET`."""
    factory: Callable[[], KeySet] = import_string(settings.JWT_KEY_SET)
    return factory()
