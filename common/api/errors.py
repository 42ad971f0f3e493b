"""The API edge: every error, ApplicationError among them, rendered as RFC 9457 problem+json."""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, NotRequired, TypedDict

import structlog
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from common.api.validation import field_errors
from common.errors import DATABASE_UNAVAILABLE_ERRORS, ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:mercato:problem:"
SERVER_ERROR_DETAIL = "The server failed to handle this request; it has been logged."
# What every 503 tells a client to wait before trying again: outages the platform rides out
# (a dependency's breaker, a database restarting) last seconds, and retrying sooner only adds load.
RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE_DETAIL = "The service's database is unavailable; try again in a moment."

logger = structlog.get_logger(__name__)


class Problem(TypedDict):
    """An RFC 9457 problem body as every service writes it."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str | None
    errors: NotRequired[dict[str, list[str]]]


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def problem(
    *,
    request: HttpRequest,
    status: int,
    code: str,
    detail: str,
    errors: dict[str, list[str]] | None = None,
) -> Problem:
    body: Problem = {
        "type": f"{PROBLEM_TYPE_PREFIX}{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "request_id": getattr(request, "request_id", None),
    }
    if errors:
        body["errors"] = errors
    return body


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error leaves as problem+json, unexpected ones as a 500. A
    database outage is left to DatabaseUnavailableMiddleware (DRF raises what this returns None
    for), which answers it for the API and the pages outside DRF alike."""
    if isinstance(exc, DATABASE_UNAVAILABLE_ERRORS):
        return None
    response = problem_response(exc, context)
    if response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def problem_response(exc: Exception, context: dict[str, Any]) -> Response:
    request = context["request"]
    if isinstance(exc, ApplicationError):
        set_rollback()  # as DRF does for its own errors: an atomic request must not commit
        body = problem(
            request=request, status=exc.status, code=exc.code, detail=exc.message, errors=exc.errors
        )
        return Response({**body, **exc.extra}, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = RequestTooLarge(f"The request body is larger than {limit} bytes.")
    elif isinstance(exc, SuspiciousOperation):
        # As Django answers it outside DRF (too many form fields or files, say): a 400.
        exc = exceptions.ParseError("The request cannot be read.")
    response = exception_handler(exc, context)
    # DRF answers only its own exceptions, which is all the lines above leave it.
    if response is None or not isinstance(exc, exceptions.APIException):
        logger.exception("unhandled_exception", exc_info=exc)
        set_rollback()
        return Response(
            server_error_problem(request), status=500, content_type=PROBLEM_CONTENT_TYPE
        )
    if isinstance(exc, exceptions.ValidationError):
        detail, errors = "The request has invalid fields.", field_errors(exc.detail)
        code = "validation_error"
    else:
        detail, errors = str(exc.detail), None
        code = exc.default_code if isinstance(exc.default_code, str) else "error"
    response.data = problem(
        request=request, status=response.status_code, code=code, detail=detail, errors=errors
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Django's handler404: URLs that match no route answer in the same problem+json shape."""
    body = problem(request=request, status=404, code="not_found", detail="No such resource.")
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)


def server_error(request: HttpRequest) -> JsonResponse:
    """Django's handler500, for failures outside DRF views."""
    return JsonResponse(
        server_error_problem(request), status=500, content_type=PROBLEM_CONTENT_TYPE
    )


class DatabaseUnavailableMiddleware:
    """Every page, the API's and those outside DRF (the admin, the schema), answers a database
    outage with a 503 problem+json and Retry-After instead of Django's 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return None
        logger.warning("database_unavailable", error=repr(exception))
        body = problem(
            request=request,
            status=503,
            code="database_unavailable",
            detail=DATABASE_UNAVAILABLE_DETAIL,
        )
        response = JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def server_error_problem(request: HttpRequest) -> Problem:
    """What every unexpected failure answers: a request id to quote, nothing of the failure."""
    return problem(request=request, status=500, code="server_error", detail=SERVER_ERROR_DETAIL)
