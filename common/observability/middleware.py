"""Gives every request an id: the caller's `X-Request-ID` when it is sane, a new one otherwise."""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id ends up in logs and headers, so only short printable tokens are trusted.
ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Sets `request.request_id` and echoes it; django-structlog then binds it to every log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if ACCEPTABLE_REQUEST_ID.match(offered) else str(uuid.uuid4())
        # problem+json bodies name it (common.api.errors.problem).
        request.request_id = request_id  # type: ignore[attr-defined]
        request.META["HTTP_X_REQUEST_ID"] = request_id
        request.__dict__.pop("headers", None)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response
