"""Test helpers for events: what a service published, and delivering events to its handlers."""

import pytest

from common.events.envelope import envelope_for
from common.events.inbox import event_consume
from common.events.models import OutboxEvent


def published(event_type: str | None = None) -> list[dict]:
    """The envelopes this service's outbox holds, oldest first (`event_type` only, if given)."""
    events = OutboxEvent.objects.order_by("created_at")
    if event_type is not None:
        events = events.filter(type=event_type)
    return [event.envelope for event in events]


def published_data(event_type: str) -> list[dict]:
    return [envelope["data"] for envelope in published(event_type)]


def deliver(event_type: str, data: dict, *, times: int = 1, source: str = "tests") -> dict:
    """Delivers a new event (schema-checked) to this service's handlers `times` times, as the
    broker would, and returns its envelope."""
    envelope = envelope_for(event_type=event_type, data=data, source=source)
    for _ in range(times):
        event_consume(envelope=envelope)
    return envelope


@pytest.fixture(autouse=True, scope="session")
def tasks_run_in_process() -> None:
    """Celery tasks (handler retries, tasks a service queues) run inline and raise their errors,
    and relayed events stay in an in-memory broker: unit tests pin behaviour and never feed a
    real platform's queues; the e2e suite pins the real workers and brokers."""
    from celery import current_app

    current_app.conf.broker_url = "memory://"
    current_app.conf.task_always_eager = True
    current_app.conf.task_eager_propagates = True
