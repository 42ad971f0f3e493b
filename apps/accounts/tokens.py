"""simplejwt's tokens, signed by the current key with its `kid` and verified by `kid`.

simplejwt holds one key per process and writes no `kid`; this backend asks the signer for the
current key on every token, so a rotation takes effect in every process without a restart.
"""

from functools import cache

import jwt
from django.conf import settings
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenBackendExpiredToken

from apps.accounts.keys import signer
from common.auth.tokens import ALGORITHM, ExpiredToken, InvalidToken, token_claims


class KeyringTokenBackend(TokenBackend):
    def encode(self, payload: dict) -> str:
        kid, private_key = signer.current()
        claims = {**payload, "iss": settings.JWT_ISSUER, "aud": settings.JWT_AUDIENCE}
        return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers={"kid": kid})

    # simplejwt annotates `token` as a Token object; it passes the encoded string.
    def decode(self, token: str, verify: bool = True) -> dict:  # type: ignore[override]
        """Always verifies: identity never needs the claims of a token it cannot trust."""
        try:
            return token_claims(token, token_type=None)
        except ExpiredToken as error:
            raise TokenBackendExpiredToken(str(error)) from None
        except InvalidToken as error:
            raise TokenBackendError(str(error)) from None


@cache
def keyring_token_backend() -> KeyringTokenBackend:
    return KeyringTokenBackend(ALGORITHM)


class AccessToken(tokens.AccessToken):
    def get_token_backend(self) -> TokenBackend:
        return keyring_token_backend()


class RefreshToken(tokens.RefreshToken):
    access_token_class = AccessToken

    def get_token_backend(self) -> TokenBackend:
        return keyring_token_backend()
