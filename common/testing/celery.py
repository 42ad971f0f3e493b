"""Test helpers for Celery: the broker down for a while, as every service sees an outage."""

from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery, current_app

# Port 1 is privileged and unassigned on any test machine: connecting to it is refused at once.
UNREACHABLE_BROKER_URL = "redis://127.0.0.1:1/0"


@contextmanager
def broker_unreachable() -> Iterator[Celery]:
    """Within the block the current Celery app is one whose broker refuses every connection, so
    sending a task fails as it does in production when the broker is down (nothing runs in
    process); after it, the test's app is back."""
    # celery-types declares current_app a Celery; it is a proxy, and the app behind it is wanted.
    previous = current_app._get_current_object()  # type: ignore[attr-defined]
    unreachable = Celery("broker-down", broker=UNREACHABLE_BROKER_URL, set_as_current=False)
    unreachable.set_current()
    try:
        yield unreachable
    finally:
        previous.set_current()
