"""Publishing: an outbox row in the caller's transaction, relayed to the broker after commit.

The relay runs right after the commit (in the process that wrote the rows) and again from a
periodic sweep, so a broker outage delays events but never loses one. A row that reached the
broker but whose `published_at` did not commit is sent again; consumers' inboxes absorb that.
"""

import uuid
from typing import Any

import structlog
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.celery import connected_producer
from common.events.envelope import Envelope, envelope_for
from common.events.models import OutboxEvent
from common.events.subscriptions import events_queue, subscribers_of

CONSUME_TASK = "mercato.events.consume"
RELAY_BATCH_SIZE = 200

logger = structlog.get_logger(__name__)


def publish(event_type: str, data: dict[str, Any]) -> OutboxEvent:
    """Records `event_type` with `data` (checked against its schema) to go out once the current
    transaction commits; without one it goes out at once."""
    envelope = envelope_for(event_type=event_type, data=data, source=settings.SERVICE_NAME)
    event = OutboxEvent.objects.create(
        id=uuid.UUID(envelope["id"]), type=event_type, envelope=envelope
    )
    transaction.on_commit(lambda: relay_after_commit(event_ids=[event.id]))
    return event


def relay_after_commit(*, event_ids: list[uuid.UUID]) -> None:
    """The broker being down must not fail the request that published: the sweep sends later."""
    try:
        outbox_relay(event_ids=event_ids)
    except Exception:
        logger.warning("event_relay_deferred", event_ids=[str(i) for i in event_ids], exc_info=True)


def outbox_relay(*, event_ids: list[uuid.UUID] | None = None) -> int:
    """Sends unpublished outbox rows (only `event_ids` when given) in batches; returns how many.

    `SKIP LOCKED` lets the after-commit relay and the sweep run side by side without sending
    one row twice; a failed send rolls its batch back for the next sweep.
    """
    sent = 0
    while True:
        with transaction.atomic():
            pending = OutboxEvent.objects.select_for_update(skip_locked=True).filter(
                published_at__isnull=True
            )
            if event_ids is not None:
                pending = pending.filter(id__in=event_ids)
            batch = list(pending.order_by("created_at")[:RELAY_BATCH_SIZE])
            if not batch:
                return sent
            send_to_broker([row.envelope for row in batch])
            OutboxEvent.objects.filter(id__in=[row.id for row in batch]).update(
                published_at=timezone.now()
            )
        sent += len(batch)
        if len(batch) < RELAY_BATCH_SIZE:
            return sent


def send_to_broker(envelopes: list[Envelope]) -> None:
    """One message per event and subscriber, straight into that subscriber's queue (declared
    first; kombu caches declarations per connection).

    Not one message to the exchange for it to copy: on Redis, kombu's copies all carry one
    delivery tag, under which it keeps a single record for redelivery, so the first subscriber to
    acknowledge its copy erased the record another's crashed worker needed to get its own back."""
    # A test setting: every event goes out twice, to prove consumers are idempotent.
    copies = 2 if settings.EVENTS_PUBLISH_TWICE else 1
    with connected_producer() as producer:
        for envelope in envelopes:
            for service in subscribers_of(envelope["type"]):
                for _ in range(copies):
                    current_app.send_task(
                        CONSUME_TASK,
                        args=[envelope],
                        # The stubs say a name; Celery takes the Queue itself, declared as is.
                        queue=events_queue(service),  # type: ignore[arg-type]
                        producer=producer,
                        retry=False,
                    )
