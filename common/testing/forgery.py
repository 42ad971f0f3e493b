"""Tokens a service must refuse, built the ways attackers build them."""

import base64
import hashlib
import hmac
import json
import time

from cryptography.hazmat.primitives import serialization

from common.testing.tokens import TokenMinter, outsider_key


def segment(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(header: dict[str, object], claims: dict[str, object], signature: bytes = b"") -> str:
    encoded_signature = base64.urlsafe_b64encode(signature).rstrip(b"=").decode()
    return f"{segment(header)}.{segment(claims)}.{encoded_signature}"


def hmac_signed(header: dict[str, object], claims: dict[str, object], secret: bytes) -> str:
    """HS256 by hand: PyJWT refuses to use a PEM public key as an HMAC secret, attackers don't."""
    signing_input = f"{segment(header)}.{segment(claims)}".encode()
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return unsigned(header, claims, signature)


def forged_tokens(minter: TokenMinter, *, public_key_pem: bytes | None = None) -> dict[str, str]:
    """One token per way of getting it wrong, each otherwise valid and granting every scope."""
    scopes = ["catalog.product.write", "identity.user.write"]
    claims = minter.claims(scopes=scopes)
    public_key_pem = public_key_pem or minter.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    valid = minter.token(scopes=scopes)
    header, _, signature = valid.split(".")
    now = int(time.time())
    return {
        "alg none": unsigned({"alg": "none", "typ": "JWT", "kid": minter.kid}, claims),
        "HS256 with the public key as secret": hmac_signed(
            {"alg": "HS256", "typ": "JWT", "kid": minter.kid}, claims, public_key_pem
        ),
        "expired": minter.token(scopes=scopes, iat=now - 600, exp=now - 60),
        "wrong audience": minter.token(scopes=scopes, aud="urn:someone-else"),
        "wrong issuer": minter.token(scopes=scopes, iss="urn:someone-else"),
        "payload altered after signing": ".".join(
            [header, segment({**claims, "sub": "someone-else"}), signature]
        ),
        "unknown kid": minter.token(scopes=scopes, headers={"kid": "never-published"}),
        "key never published": minter.token(scopes=scopes, key=outsider_key()),
    }
