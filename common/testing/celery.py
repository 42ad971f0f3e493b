"""Test helpers for Celery: the broker down for a while, as every service sees an outage, and
the tasks a block sends, as a worker would receive them."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from celery import Celery, current_app
from celery.signals import before_task_publish
from django.utils import timezone

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


@dataclass(frozen=True)
class SentTask:
    name: str
    args: tuple[object, ...]
    # Seconds from its sending to its ETA, as the worker that receives it would wait; 0 for none.
    countdown: float


@contextmanager
def tasks_sent() -> Iterator[list[SentTask]]:
    """Within the block tasks are sent to the unit tests' in-memory broker instead of running
    inline; the list gathers each one as it is sent."""
    sent: list[SentTask] = []

    def record(
        sender: str, headers: dict[str, str], body: tuple[list[object], ...], **_: object
    ) -> None:
        eta = headers.get("eta")
        countdown = (datetime.fromisoformat(eta) - timezone.now()).total_seconds() if eta else 0
        sent.append(SentTask(name=sender, args=tuple(body[0]), countdown=countdown))

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    before_task_publish.connect(record, weak=False)
    try:
        yield sent
    finally:
        before_task_publish.disconnect(record)
        current_app.conf.task_always_eager = eager
