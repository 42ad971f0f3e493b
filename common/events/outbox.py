"""Publishing: an outbox row in the caller's transaction, relayed to the broker after commit.

The relay runs right after the commit (in the process that wrote the rows, from memory) and
again from a periodic sweep, so a broker outage delays events but never loses one. A row that
reached the broker but whose `published_at` did not commit is sent again; consumers' inboxes
absorb that.
"""

import json
import logging
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, cast

import structlog
from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from kombu import Connection, Producer

from common.celery import (
    broker_forgot,
    broker_lost_messages,
    broker_messages_remembered,
    connected_producer,
)
from common.events.envelope import Envelope, envelope_for
from common.events.models import OutboxEvent
from common.events.subscriptions import events_queue, subscribers_of

CONSUME_TASK = "mercato.events.consume"
RELAY_BATCH_SIZE = 200
# The Redis run id each publishing channel last read, telling a restarted server from the same.
REDIS_RUN_IDS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

logger = structlog.get_logger(__name__)


def publish(event_type: str, data: dict[str, Any]) -> OutboxEvent:
    """Records `event_type` with `data` (checked against its schema) to go out once the current
    transaction commits; without one it goes out at once."""
    envelope = envelope_for(event_type=event_type, data=data, source=settings.SERVICE_NAME)
    event = OutboxEvent.objects.create(
        id=uuid.UUID(envelope["id"]), type=event_type, envelope=envelope
    )
    transaction.on_commit(lambda: relay_after_commit(envelopes=[envelope]))
    return event


def relay_after_commit(*, envelopes: list[Envelope]) -> None:
    """Sends the events just committed from memory, then marks their rows published: no claim
    before the send, so the event reaches the broker one database round trip sooner.

    The mark follows the send, so a row is never marked before the broker took its event; a crash
    or a failure in between leaves it unpublished and the sweep sends it again, as it may while
    this send is under way: a copy the inboxes absorb. The broker being down must not fail the
    request that published: the sweep sends later."""
    try:
        send_to_broker(envelopes)
        published_marked(event_ids=[uuid.UUID(envelope["id"]) for envelope in envelopes])
    except Exception:
        event_ids = [envelope["id"] for envelope in envelopes]
        logger.warning("event_relay_deferred", event_ids=event_ids, exc_info=True)


def published_marked(*, event_ids: list[uuid.UUID]) -> None:
    """One statement, in its own transaction; a row the sweep marked meanwhile keeps its mark."""
    table = connection.ops.quote_name(OutboxEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET published_at = %s WHERE id = ANY(%s) AND published_at IS NULL",
            [timezone.now(), event_ids],
        )


def outbox_sweep() -> int:
    """The beat's sweep: sends what the after-commit relay could not. When the broker lost what it
    held (`broker_lost_messages`), every row published in the last OUTBOX_REPLAY_SECONDS is sent
    again first (a message still queued then is gone; consumers' inboxes absorb the copies of
    those that were consumed) and `broker_forgot` tells the apps to resend their tasks."""
    if broker_lost_messages():
        since = timezone.now() - timedelta(seconds=settings.OUTBOX_REPLAY_SECONDS)
        replayed = OutboxEvent.objects.filter(published_at__gte=since).update(published_at=None)
        # A broker found empty with nothing recent to replay is a first start, not an outage.
        level = logging.WARNING if replayed else logging.DEBUG
        logger.log(level, "outbox_replayed_after_broker_loss", events=replayed)
        broker_forgot.send(sender=outbox_sweep)
        broker_messages_remembered()
    return outbox_relay()


def outbox_relay() -> int:
    """Sends unpublished outbox rows in batches; returns how many.

    `SKIP LOCKED` lets two sweeps run side by side without sending one row twice; a failed send
    rolls its batch back for the next sweep.
    """
    sent = 0
    while True:
        with transaction.atomic():
            batch = claimed_batch()
            if not batch:
                return sent
            send_to_broker(batch)
        sent += len(batch)
        if len(batch) < RELAY_BATCH_SIZE:
            return sent


def claimed_batch() -> list[Envelope]:
    """The oldest unpublished rows, locked and already marked published in the caller's
    transaction, which rolls the mark back if their send fails.

    One statement, where a locking SELECT and an UPDATE took two round trips and the ORM's rows."""
    table = connection.ops.quote_name(OutboxEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET published_at = %s WHERE id IN ("
            f"SELECT id FROM {table} WHERE published_at IS NULL "
            "ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING envelope, created_at",
            [timezone.now(), RELAY_BATCH_SIZE],
        )
        rows = cursor.fetchall()
    # Django has psycopg hand jsonb over as text, which its JSONField would parse.
    return [
        json.loads(envelope) if isinstance(envelope, str) else envelope
        for envelope, _ in sorted(rows, key=lambda row: row[1])
    ]


def send_to_broker(envelopes: list[Envelope]) -> None:
    """One message per event and subscriber, straight into that subscriber's queue (declared
    first; kombu caches declarations per connection); raises unless every message reached its
    queue (`routing_checked`). A type nobody subscribes to is not sent.

    Not one message to an exchange for it to copy: on Redis, kombu's copies all carry one delivery
    tag, under which it keeps a single record for redelivery, so the first subscriber to
    acknowledge its copy erased the record another's crashed worker needed to get its own back."""
    # A test setting: every event goes out twice, to prove consumers are idempotent.
    copies = 2 if settings.EVENTS_PUBLISH_TWICE else 1
    with connected_producer() as producer, routing_checked(producer) as returned:
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
                        mandatory=True,
                        # What inspect and monitors show of the arguments: which event, not its
                        # data (a customer's e-mail), nor Celery's repr of it on every send.
                        argsrepr=f"[<{envelope['type']} {envelope['id']}>]",
                    )
                    if returned:
                        raise EventNotRouted(f"{envelope['type']} {envelope['id']}: {returned[0]}")


@contextmanager
def routing_checked(producer: Producer) -> Iterator[list[str]]:
    """Makes a send that reached no queue fail instead of vanishing.

    On RabbitMQ events go out `mandatory` (with publisher confirms, CELERY_BROKER_TRANSPORT_OPTIONS)
    and the broker's returns are collected in the list yielded. On Redis a message goes into its
    queue's list by name, which a Redis restarted empty simply creates again; but one that
    restarted while the batch went out (or since the channel's previous send, which it read the
    server's run id after) lost what came before, and fails the batch."""
    # kombu's stubs type the channel as any channel; these are the transports' own.
    channel: Any = producer.channel
    driver_type = cast(Connection, producer.connection).transport.driver_type
    if driver_type == "amqp":
        returned: list[str] = []

        def collect(exception: Exception, exchange: str, routing_key: str, message: Any) -> None:
            returned.append(f"returned by the broker: {exception}")

        channel.events["basic_return"].add(collect)
        try:
            yield returned
        finally:
            channel.events["basic_return"].discard(collect)
        return
    if driver_type != "redis":
        yield []
        return
    server = channel.client
    # As it was after this channel's previous send, if any: one round trip a send, not two.
    run_id = REDIS_RUN_IDS.get(channel) or server.info("server")["run_id"]
    yield []
    REDIS_RUN_IDS[channel] = server.info("server")["run_id"]
    if REDIS_RUN_IDS[channel] != run_id:
        raise EventNotRouted("the broker restarted while events were being sent")


class EventNotRouted(Exception):
    """An event reached none, or not all, of its subscribers' queues: it must be sent again."""
