"""Token costs per request, as ratios against a baseline measured in the same run.

    .venv/bin/python bench/tokens.py

Prints how much slower signing would be if the private key were parsed per token (what identity
avoids by holding parsed keys per process), and what verifying an access token costs next to
decoding it without any check.
"""

import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.catalog.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://localhost/unused")
os.environ.setdefault("REDIS_URL", "redis://localhost:6379/0")

import django

django.setup()

import jwt  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from django.test import override_settings  # noqa: E402

from common.auth.keys import CachedKeySet, key_set, public_jwk  # noqa: E402
from common.auth.tokens import token_claims  # noqa: E402
from common.testing.tokens import TokenMinter, published_test_key  # noqa: E402

ROUNDS = 200
VERIFYING_KEYS: dict = {}


def held_key_set() -> CachedKeySet:
    """A key set already holding its keys, as a service's is once it has fetched the JWKS."""
    return CachedKeySet(load=lambda: dict(VERIFYING_KEYS), max_age=300, min_reload_interval=5)


def per_call(function) -> float:
    return min(timeit.repeat(function, number=ROUNDS, repeat=3)) / ROUNDS


def main() -> None:
    private_key = published_test_key()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    kid = public_jwk(private_key)["kid"]
    minter = TokenMinter(private_key=private_key, kid=kid)
    claims = minter.claims()

    held = per_call(lambda: jwt.encode(claims, private_key, algorithm="RS256"))
    parsed_each_time = per_call(
        lambda: jwt.encode(claims, serialization.load_pem_private_key(pem, None), algorithm="RS256")
    )
    print(f"signing, key held per process: {held * 1e3:.2f} ms (baseline)")
    print(f"signing, key parsed per token: {parsed_each_time / held:.1f}x the baseline")

    token = minter.token()
    VERIFYING_KEYS[kid] = private_key.public_key()
    key_set.cache_clear()
    with override_settings(JWT_KEY_SET="__main__.held_key_set"):
        unchecked = per_call(lambda: jwt.decode(token, options={"verify_signature": False}))
        verified = per_call(lambda: token_claims(token))
    print(f"decoding without checks: {unchecked * 1e3:.3f} ms (baseline)")
    print(f"full verification (kid, RS256, iss, aud, exp): {verified / unchecked:.1f}x")


if __name__ == "__main__":
    main()
