"""django-axes hooks: which account a sign-in names, and how a locked account is refused."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from apps.accounts.sign_in import sign_in_page
from common.api.errors import PROBLEM_CONTENT_TYPE, problem


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"This account is locked after {settings.AXES_FAILURE_LIMIT} failed sign-ins. "
        f"Try again in {minutes} minutes."
    )


def username_of(request, credentials: dict | None) -> str:
    """The token API sends `email`, the operators' sign-in form `username`; both name the
    account."""
    credentials = credentials or request.POST
    return (credentials.get("email") or credentials.get("username") or "").strip().lower()


def lockout_response(request, original_response, credentials) -> HttpResponse:
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    response: HttpResponse
    if "/api/" in request.path:
        body = problem(request=request, status=429, code="account_locked", detail=lockout_message())
        response = JsonResponse(body, status=429, content_type=PROBLEM_CONTENT_TYPE)
    else:
        # Outside the API only the operators' sign-in page takes a password.
        response = sign_in_page(request, error=lockout_message(), status=429)
    response["Retry-After"] = retry_after
    return response
