"""Who the client is, behind the proxies in front of a service."""

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str | None:
    """The client's address exactly as the throttles key on it (DRF's `get_ident`): the entry
    NUM_PROXIES from the right of X-Forwarded-For, which the nearest proxy appended, so whatever a
    client writes into the header itself is never taken for its address. The sign-in lockout and
    the request logs read it here so that all three name the same client."""
    return BaseThrottle().get_ident(Request(request))
