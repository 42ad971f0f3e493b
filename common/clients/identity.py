"""Calls to identity: this service's own service token."""

import threading
import time
from typing import Any

import structlog
from django.conf import settings

from common.auth.tokens import token_claims
from common.clients.http import ServiceClient, ServiceUnavailable

SERVICE_TOKEN_PATH = "/identity/api/v1/auth/service-token/"
UNREACHABLE = "Identity cannot be reached; try again in a moment."
# A cached service token is replaced this long before it expires, so none is sent stale.
SERVICE_TOKEN_MARGIN_SECONDS = 30


identity = ServiceClient(service="identity", url_setting="IDENTITY_URL")
logger = structlog.get_logger(__name__)


class IdentityRefused(Exception):
    """identity said no (or could not be asked); the message is fit to show the person."""


def post(path: str, payload: dict[str, str]) -> dict[str, Any]:
    try:
        response = identity.post(
            path, json=payload, timeout=settings.DEPENDENCY_TIMEOUT_SECONDS * 4
        )
    except ServiceUnavailable:
        raise IdentityRefused(UNREACHABLE) from None
    try:
        body: dict[str, Any] = response.json()
    except ValueError:  # a proxy's error page, not identity's answer
        raise IdentityRefused(UNREACHABLE) from None
    if response.status_code != 200:
        raise IdentityRefused(body.get("detail") or "identity refused the request.")
    return body


class ServiceTokenCache:
    """This service's client-credentials token, shared by the threads of one process."""

    def __init__(self) -> None:
        self.token = ""
        self.expires_at = 0.0
        self.lock = threading.Lock()

    def get(self) -> str:
        """The token; a replacement identity cannot give (down, slow) leaves the current one in
        use until it really expires, so a blip at identity fails no call that had a token."""
        with self.lock:
            if time.time() >= self.expires_at - SERVICE_TOKEN_MARGIN_SECONDS:
                try:
                    body = post(
                        SERVICE_TOKEN_PATH,
                        {
                            "client_id": settings.SERVICE_NAME,
                            "client_secret": settings.SERVICE_CLIENT_SECRET,
                        },
                    )
                except IdentityRefused:
                    if time.time() >= self.expires_at:
                        raise
                    logger.warning("service_token_kept", expires_in=self.expires_at - time.time())
                    return self.token
                self.token = body["access"]
                self.expires_at = token_claims(self.token)["exp"]
            return self.token


service_token = ServiceTokenCache().get
