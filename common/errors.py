"""The errors every layer raises: the one application error type, and a database outage's.

Both are mapped to an answer once, at the API edge (common/api/errors.py). Models, services and
the events machinery import this module, so it imports nothing of DRF but its status codes: a
Celery worker or beat does not load the API's views through it.
"""

from django.db import InterfaceError, OperationalError
from rest_framework import status

# What the database driver raises when the server is gone (refused, restarting, connection lost),
# wrapped by Django; a statement the server refused is another error.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


class ApplicationError(Exception):
    """Raised by services and selectors when a request cannot be honoured; `message` is constant."""

    def __init__(
        self,
        message: str,
        *,
        status: int = status.HTTP_400_BAD_REQUEST,
        code: str = "invalid",
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.errors = errors
        self.extra = extra or {}
