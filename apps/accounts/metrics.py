"""Identity's metrics: failed sign-ins and the accounts they locked, from the sign-in signals."""

from typing import Any

from axes.helpers import get_failure_limit
from prometheus_client import Counter

SIGN_IN_FAILURES = Counter(
    "mercato_sign_in_failures",
    "Sign-ins refused (wrong password, unknown or locked account), by the API or the sign-in page.",
)
SIGN_IN_LOCKOUTS = Counter(
    "mercato_sign_in_lockouts",
    "Accounts locked by django-axes after too many failed sign-ins in a row.",
)


def sign_in_failed(sender: Any, **kwargs: Any) -> None:
    """Django's user_login_failed, sent by every refused authenticate()."""
    SIGN_IN_FAILURES.inc()


def sign_in_locked_out(sender: Any, *, request: Any, **kwargs: Any) -> None:
    """django-axes' user_locked_out, sent again on every attempt while the account is locked:
    counted once, on the failure that reached the limit."""
    failures = getattr(request, "axes_failures_since_start", None)
    credentials = getattr(request, "axes_credentials", None)
    if failures == get_failure_limit(request, credentials):
        SIGN_IN_LOCKOUTS.inc()
