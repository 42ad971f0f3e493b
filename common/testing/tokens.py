"""Access tokens for tests: signed by a key this service trusts, with any claims a test needs."""

import json
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from pytest_django import Settings

from common.auth.keys import key_set, public_jwk


@cache
def outsider_key() -> rsa.RSAPrivateKey:
    """A well-formed RSA key that no JWKS of ours publishes."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def published_test_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class TokenMinter:
    """Signs tokens with `private_key`, which the service under test trusts under `kid`."""

    private_key: rsa.RSAPrivateKey
    kid: str

    def claims(
        self,
        *,
        scopes: Iterable[str] = (),
        roles: Iterable[str] = (),
        subject: str | None = None,
        **overrides: object,
    ) -> dict[str, object]:
        now = int(time.time())
        claims = {
            "iss": settings.JWT_ISSUER,
            "aud": settings.JWT_AUDIENCE,
            "sub": subject or str(uuid.uuid4()),
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
            "token_type": "access",
            "email": "someone@mercato.test",
            "roles": list(roles),
            "scope": " ".join(scopes),
        }
        claims.update(overrides)
        return claims

    def token(
        self,
        *,
        key: rsa.RSAPrivateKey | None = None,
        headers: dict[str, str] | None = None,
        **claims: Any,
    ) -> str:
        return jwt.encode(
            self.claims(**claims),
            key or self.private_key,
            algorithm="RS256",
            headers={"kid": self.kid, **(headers or {})},
        )

    def authorization(self, **claims: Any) -> dict[str, str]:
        """Test-client keyword arguments that send a token with these claims."""
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token(**claims)}"}


@pytest.fixture
def token_minter(settings: Settings, tmp_path: Path) -> Iterator[TokenMinter]:
    """Every service, identity included, trusts a test key published in a JWKS file, fetched
    through the same code that fetches identity's JWKS over HTTP."""
    jwk = public_jwk(published_test_key())
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [jwk]}))
    settings.JWKS_URL = jwks_file.as_uri()
    settings.JWT_KEY_SET = "common.auth.keys.remote_key_set"
    key_set.cache_clear()
    yield TokenMinter(private_key=published_test_key(), kid=jwk["kid"])
    key_set.cache_clear()
