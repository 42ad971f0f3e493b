"""Verification of the RS256 JWTs identity issues: every rule is enforced here, once."""

from typing import Any

from django.conf import settings

from common.auth.keys import key_set
from common.auth.users import TokenUser

ALGORITHM = "RS256"
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat", "jti"]


class InvalidToken(Exception):
    """The token is not one identity issued, or no longer valid; the message says which."""


class ExpiredToken(InvalidToken):
    """The token was valid once; its `exp` has passed."""


def token_claims(raw_token: str, *, token_type: str | None = "access") -> dict[str, Any]:
    """The claims of `raw_token` once its `kid`, algorithm, signature, `iss`, `aud`, `exp` and
    `token_type` (unless None) all check out against this process's key set."""
    # Imported at the first token, not with DRF's settings: PyJWT brings cryptography (~10 MiB),
    # which a Celery worker, loading the API's modules through the models, never uses.
    import jwt

    try:
        header = jwt.get_unverified_header(raw_token)
    except jwt.InvalidTokenError:
        raise InvalidToken("The token is malformed.") from None
    # PyJWT also refuses other algorithms below; checking first keeps "none" and HS256 (signed with
    # the public key as a shared secret) away from any key lookup.
    if header.get("alg") != ALGORITHM:
        raise InvalidToken(f"Only {ALGORITHM} tokens are accepted.")
    kid = header.get("kid")
    key = key_set().key_for(kid) if isinstance(kid, str) else None
    if key is None:
        raise InvalidToken("The token was signed by an unknown key.")
    try:
        claims = jwt.decode(
            raw_token,
            key,
            algorithms=[ALGORITHM],
            audience=settings.JWT_AUDIENCE,
            issuer=settings.JWT_ISSUER,
            leeway=settings.JWT_LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise ExpiredToken("The token has expired.") from None
    except jwt.InvalidTokenError as error:
        raise InvalidToken(f"The token is invalid: {error}.") from None
    if token_type is not None and claims.get("token_type") != token_type:
        raise InvalidToken(f"An {token_type} token is required.")
    return claims


def verify_access_token(raw_token: str) -> TokenUser:
    return TokenUser.from_claims(token_claims(raw_token))
