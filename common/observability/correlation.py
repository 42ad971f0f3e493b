"""The ids that tie log lines together: a request's own id, and the correlation id that follows
one piece of work (an order) through every service, task and event it causes."""

import re

import structlog

REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_ID_HEADER = "X-Correlation-ID"
# A caller's id ends up in logs and headers, so only short printable tokens are trusted.
ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current_correlation_id() -> str | None:
    """The correlation id bound to this request, task or event handler, if any."""
    context = structlog.contextvars.get_contextvars()
    return context.get("correlation_id") or context.get("request_id")


def correlation_headers() -> dict[str, str]:
    """What a call to another service sends so that its lines share this work's correlation id."""
    correlation_id = current_correlation_id()
    return {CORRELATION_ID_HEADER: correlation_id} if correlation_id else {}
