"""Gives every request an id, the caller's `X-Request-ID` when it is sane, a new one otherwise;
and a correlation id: the caller's `X-Correlation-ID`, else the request id."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from common.observability.correlation import (
    ACCEPTABLE_ID,
    CORRELATION_ID_HEADER,
    REQUEST_ID_HEADER,
)


class RequestIdMiddleware:
    """Sets `request.request_id` and echoes both ids; django-structlog then binds them to every
    log line (DJANGO_STRUCTLOG_TRUST_UPSTREAM_*), and common.clients sends the correlation id on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if ACCEPTABLE_ID.match(offered) else str(uuid.uuid4())
        offered = request.META.get("HTTP_X_CORRELATION_ID", "")
        correlation_id = offered if ACCEPTABLE_ID.match(offered) else request_id
        # problem+json bodies name it (common.api.errors.problem).
        request.request_id = request_id  # type: ignore[attr-defined]
        request.META["HTTP_X_REQUEST_ID"] = request_id
        request.META["HTTP_X_CORRELATION_ID"] = correlation_id
        request.__dict__.pop("headers", None)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        response[CORRELATION_ID_HEADER] = correlation_id
        return response
