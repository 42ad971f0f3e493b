"""Who the client is, behind the proxies in front of a service."""

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

# DRF's `get_ident` keeps no state; one instance serves every request.
IDENTIFIER = BaseThrottle()


def client_address(request: HttpRequest) -> str | None:
    """The client's address exactly as the throttles key on it (DRF's `get_ident`): the entry
    NUM_PROXIES from the right of X-Forwarded-For, which the nearest proxy appended, so whatever a
    client writes into the header itself is never taken for its address. The sign-in lockout and
    the request logs read it here so that all three name the same client."""
    # `get_ident` reads only `META`, which a DRF Request takes from the HttpRequest: no Request
    # need be built for each request's log context.
    return IDENTIFIER.get_ident(cast(Request, request))
