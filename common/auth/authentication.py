"""DRF authentication by `Authorization: Bearer <access token>`, verified without a database."""

import structlog
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from common.auth.tokens import InvalidToken, verify_access_token
from common.auth.users import TokenUser

SCHEME = b"bearer"
MALFORMED_HEADER = "The Authorization header must be Bearer <token>."


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[TokenUser, None] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != SCHEME:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED_HEADER)
        try:
            user = verify_access_token(parts[1].decode("latin-1"))
        except InvalidToken as error:
            raise exceptions.AuthenticationFailed(str(error)) from None
        # DRF authenticates once per request: from here on its lines name the caller.
        structlog.contextvars.bind_contextvars(sub=user.id)
        return user, None

    def authenticate_header(self, request: Request) -> str:
        """Makes DRF answer 401, not 403, when credentials are missing or wrong."""
        return 'Bearer realm="mercato"'
