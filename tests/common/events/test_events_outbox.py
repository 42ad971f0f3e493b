"""Publishing writes the outbox in the caller's transaction; the relay sends committed rows."""

import os
import subprocess
import uuid

import pytest
from celery import Celery, current_app
from django.db import transaction

from common.celery import broker_forgot
from common.events import outbox
from common.events.models import OutboxEvent
from common.events.outbox import (
    CONSUME_TASK,
    RELAY_BATCH_SIZE,
    outbox_relay,
    outbox_sweep,
    publish,
)
from common.events.subscriptions import events_queue
from common.events.types import InvalidEvent
from common.settings.derived import broker_url_from_redis
from common.testing.events import event_data
from tests.e2e.conftest import rabbitmq_fresh_vhost

pytestmark = pytest.mark.django_db


def drain(service: str) -> list[dict]:
    """The envelopes waiting in `service`'s events queue (the in-memory broker of unit tests)."""
    envelopes = []
    with current_app.connection_for_read() as connection:
        queue = events_queue(service)(connection.default_channel)
        queue.declare()
        while (message := queue.get(no_ack=True)) is not None:
            assert message.headers["task"] == CONSUME_TASK
            envelopes.append(message.decode()[0][0])
    return envelopes


@pytest.fixture(autouse=True)
def empty_queues():
    for service in ("orders", "catalog", "notifications"):
        drain(service)


def test_an_event_commits_with_the_change_and_is_relayed_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("stock.reserved", event_data("stock.reserved"))
        assert drain("orders") == []

    event.refresh_from_db()
    assert event.published_at is not None
    assert [envelope["id"] for envelope in drain("orders")] == [str(event.id)]


def test_an_event_of_a_rolled_back_change_never_exists():
    with transaction.atomic():
        publish("stock.reserved", event_data("stock.reserved"))
        transaction.set_rollback(True)

    assert not OutboxEvent.objects.exists()


def test_data_breaking_its_schema_is_refused_before_anything_is_written():
    with pytest.raises(InvalidEvent, match="order_id"):
        publish("stock.reserved", {"order_id": "seven"})

    assert not OutboxEvent.objects.exists()


def test_one_publish_reaches_the_queue_of_every_subscriber_and_no_other(
    django_capture_on_commit_callbacks,
):
    order = event_data("order.created")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("order.created", order)

    assert [e["id"] for e in drain("catalog")] == [str(event.id)]
    assert [e["id"] for e in drain("notifications")] == [str(event.id)]
    assert drain("orders") == []


def test_a_message_names_its_event_in_the_task_arguments_monitors_show_but_not_its_data(
    django_capture_on_commit_callbacks,
):
    data = event_data("stock.reserved")
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("stock.reserved", data)

    with current_app.connection_for_read() as connection:
        message = events_queue("orders")(connection.default_channel).get(no_ack=True)
    assert message.headers["argsrepr"] == f"[<stock.reserved {event.id}>]"
    assert message.decode()[0][0]["data"] == data


@pytest.fixture
def redis_broker_never_used():
    """The current Celery app, for one test, is one whose broker is a real Redis database no
    process has touched: no queue exists there yet."""
    previous = current_app._get_current_object()
    app = Celery("first-start", broker=broker_url_from_redis(os.environ["REDIS_URL"], database=13))
    app.set_current()
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    yield app
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    app.close()
    previous.set_current()


def test_on_redis_an_event_waits_for_subscribers_that_never_ran(redis_broker_never_used):
    """No worker has declared orders' queue yet: the relay declares it, and the event waits."""
    event = publish("stock.reserved", event_data("stock.reserved"))

    outbox_relay()

    assert [envelope["id"] for envelope in drain("orders")] == [str(event.id)]


def test_on_redis_a_copy_held_by_a_killed_worker_comes_back_though_another_subscriber_acked_its(
    redis_broker_never_used,
):
    """catalog and notifications both get order.created; notifications' worker acknowledges its
    copy while catalog's is killed holding its own, which must then come back to catalog."""
    event = publish("order.created", event_data("order.created"))
    outbox_relay()

    with redis_broker_never_used.connection_for_read() as connection:
        catalog, notifications = (
            events_queue(service)(connection.channel()) for service in ("catalog", "notifications")
        )
        held = catalog.get(no_ack=False)
        notifications.get(no_ack=False).ack()
        held.reject(requeue=True)

    assert [envelope["id"] for envelope in drain("catalog")] == [str(event.id)]
    assert drain("notifications") == []


def test_on_redis_restarted_empty_under_a_connected_producer_an_event_still_reaches_its_queue(
    redis_broker_never_used,
):
    """A Redis restarted empty while the publisher's connection still counts the queues declared:
    the relay puts the event into its queue by name all the same."""
    publish("stock.reserved", event_data("stock.reserved"))
    outbox_relay()
    with redis_broker_never_used.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    second = publish("stock.reserved", event_data("stock.reserved"))

    outbox_relay()

    assert [envelope["id"] for envelope in drain("orders")] == [str(second.id)]


def test_on_redis_a_send_to_a_server_restarted_since_the_channel_last_sent_fails_for_the_sweep(
    redis_broker_never_used,
):
    """A channel reads the server's run id after each send and compares the next send's with it:
    a server that changed in between may have lost that send's messages."""
    first = publish("stock.reserved", event_data("stock.reserved"))
    outbox_relay()
    for channel in list(outbox.REDIS_RUN_IDS.keys()):
        outbox.REDIS_RUN_IDS[channel] = "the run id of the server before its restart"
    second = publish("stock.reserved", event_data("stock.reserved"))

    with pytest.raises(outbox.EventNotRouted, match="restarted"):
        outbox_relay()
    assert OutboxEvent.objects.get(id=second.id).published_at is None
    assert outbox_relay() == 1

    assert [envelope["id"] for envelope in drain("orders")] == [
        str(first.id),
        str(second.id),
        str(second.id),
    ]


def test_the_sweep_sends_recent_events_again_once_the_broker_lost_its_messages(
    redis_broker_never_used,
):
    sent = publish("stock.reserved", event_data("stock.reserved"))
    outbox_sweep()
    assert [envelope["id"] for envelope in drain("orders")] == [str(sent.id)]
    told: list[object] = []

    def record(sender, **arguments):
        told.append(sender)

    broker_forgot.connect(record)
    try:
        with redis_broker_never_used.connection_for_write() as connection:
            connection.default_channel.client.flushdb()  # what a restart without persistence does
        outbox_sweep()
        outbox_sweep()
    finally:
        broker_forgot.disconnect(record)

    assert [envelope["id"] for envelope in drain("orders")] == [str(sent.id)]
    assert told == [outbox_sweep]


@pytest.fixture
def rabbitmq_broker(settings):
    """The current Celery app, for one test, is one on a RabbitMQ virtual host of its own, with the
    services' transport options (publisher confirms)."""
    vhost = f"mercato-outbox-{uuid.uuid4().hex[:8]}"
    rabbitmq_fresh_vhost(vhost)
    previous = current_app._get_current_object()
    app = Celery("rabbitmq", broker=f"amqp://guest:guest@127.0.0.1:5672/{vhost}")
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    app.set_current()
    yield app
    app.close()
    previous.set_current()
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], capture_output=True)


def test_on_rabbitmq_an_event_that_reaches_no_queue_fails_its_send(rabbitmq_broker):
    """The producer's cache still counts the queue declared after it was deleted: RabbitMQ returns
    the message (mandatory), and the row must stay unpublished for the sweep."""
    publish("stock.reserved", event_data("stock.reserved"))
    outbox_relay()
    with rabbitmq_broker.connection_for_write() as connection:
        events_queue("orders")(connection.default_channel).delete()
    unrouted = publish("stock.reserved", event_data("stock.reserved"))

    with pytest.raises(outbox.EventNotRouted, match="NO_ROUTE"):
        outbox_relay()

    unrouted.refresh_from_db()
    assert unrouted.published_at is None


def test_a_failed_send_leaves_the_rows_for_the_sweep_and_the_request_goes_on(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(envelopes):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(outbox, "send_to_broker", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("stock.reserved", event_data("stock.reserved"))
    event.refresh_from_db()
    assert event.published_at is None

    monkeypatch.undo()
    assert outbox_relay() == 1
    assert [e["id"] for e in drain("orders")] == [str(event.id)]


def test_the_sweep_sends_everything_left_behind_in_batches_and_then_nothing():
    events = [
        publish("stock.reserved", event_data("stock.reserved")) for _ in range(RELAY_BATCH_SIZE + 3)
    ]

    assert outbox_relay() == len(events)
    assert outbox_relay() == 0
    assert [e["id"] for e in drain("orders")] == [str(event.id) for event in events]


def test_the_after_commit_relay_sends_its_own_events_from_memory_and_marks_only_their_rows(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    left_behind = publish("stock.reserved", event_data("stock.reserved"))
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        mine = publish("stock.reserved", event_data("stock.reserved"))

    with django_assert_num_queries(1):  # the mark, after the send: no claim before it
        callbacks[0]()

    assert [envelope["id"] for envelope in drain("orders")] == [str(mine.id)]
    assert OutboxEvent.objects.get(id=mine.id).published_at is not None
    assert OutboxEvent.objects.get(id=left_behind.id).published_at is None


def test_a_row_the_sweep_sent_meanwhile_keeps_its_mark_and_its_copy_is_absorbed_downstream(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        event = publish("stock.reserved", event_data("stock.reserved"))
    assert outbox_relay() == 1
    swept_at = OutboxEvent.objects.get(id=event.id).published_at

    callbacks[0]()

    assert OutboxEvent.objects.get(id=event.id).published_at == swept_at
    assert [envelope["id"] for envelope in drain("orders")] == [str(event.id)] * 2


def test_a_failed_mark_after_the_send_leaves_the_row_for_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    def database_gone(*, event_ids):
        raise ConnectionError("database gone")

    monkeypatch.setattr(outbox, "published_marked", database_gone)
    with django_capture_on_commit_callbacks(execute=True):
        event = publish("stock.reserved", event_data("stock.reserved"))
    assert OutboxEvent.objects.get(id=event.id).published_at is None

    monkeypatch.undo()
    assert outbox_relay() == 1
    assert [envelope["id"] for envelope in drain("orders")] == [str(event.id)] * 2


def test_the_publish_twice_setting_sends_every_event_twice(settings):
    settings.EVENTS_PUBLISH_TWICE = True
    event = publish("stock.reserved", event_data("stock.reserved"))

    outbox_relay()

    assert [e["id"] for e in drain("orders")] == [str(event.id)] * 2
