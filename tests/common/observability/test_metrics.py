"""Shared metrics: events handled, duplicates and dead letters counted where they happen, and
the web's /metrics reading the outbox, the dead letters and the broker's queues at scrape time."""

import uuid
from datetime import timedelta

import pytest
import redis
from celery import Celery, current_app
from django.conf import settings
from django.utils import timezone

from common.events import inbox
from common.events.inbox import dead_letter_record
from common.events.models import DeadLetter, OutboxEvent
from common.events.outbox import publish
from common.observability.metrics import OutboxCollector, QueueDepthCollector
from common.settings.derived import broker_url_from_redis
from common.testing.celery import broker_unreachable
from common.testing.events import deliver, event_data
from common.testing.metrics import metric_value

pytestmark = pytest.mark.django_db
HANDLER = "tests.metrics"


class FailingOnDemand:
    def __init__(self) -> None:
        self.fault: Exception | None = None

    def __call__(self, event) -> None:
        if self.fault is not None:
            raise self.fault


@pytest.fixture
def handled(monkeypatch) -> FailingOnDemand:
    """The only handler of stock.reserved in these tests."""
    handler = FailingOnDemand()
    monkeypatch.setattr(inbox, "HANDLERS", {HANDLER: (frozenset({"stock.reserved"}), handler)})
    return handler


def collected(collector) -> dict[tuple[str, tuple[str, ...]], float]:
    """What one scrape of `collector` reports: (sample name, label values) -> value."""
    return {
        (sample.name, tuple(sample.labels.values())): sample.value
        for family in collector.collect()
        for sample in family.samples
    }


def test_an_event_applied_counts_once_as_handled_and_its_redelivery_as_a_duplicate(
    handled, django_capture_on_commit_callbacks
):
    labels = {"event_type": "stock.reserved"}
    handled_before = metric_value("mercato_events_handled_total", **labels)
    duplicates_before = metric_value("mercato_events_duplicates_total", **labels)

    with django_capture_on_commit_callbacks(execute=True):
        deliver("stock.reserved", event_data("stock.reserved"), times=3)

    assert metric_value("mercato_events_handled_total", **labels) == handled_before + 1
    assert metric_value("mercato_events_duplicates_total", **labels) == duplicates_before + 2


def test_a_handler_that_fails_is_not_counted_as_having_handled_the_event(
    handled, settings, django_capture_on_commit_callbacks
):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 1
    handled.fault = RuntimeError("down")
    before = metric_value("mercato_events_handled_total", event_type="stock.reserved")

    with django_capture_on_commit_callbacks(execute=True):
        deliver("stock.reserved", event_data("stock.reserved"))

    assert metric_value("mercato_events_handled_total", event_type="stock.reserved") == before


def test_an_event_dead_lettered_counts_under_its_handler(
    handled, settings, django_capture_on_commit_callbacks
):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 2
    handled.fault = RuntimeError("the mail server is down")
    before = metric_value("mercato_dead_letters_total", handler=HANDLER)

    with django_capture_on_commit_callbacks(execute=True):
        deliver("stock.reserved", event_data("stock.reserved"))

    assert DeadLetter.objects.filter(handler=HANDLER).count() == 1
    assert metric_value("mercato_dead_letters_total", handler=HANDLER) == before + 1


def test_the_outbox_gauges_say_how_many_rows_wait_and_how_old_the_oldest_is():
    assert collected(OutboxCollector())[("mercato_outbox_pending_events", ())] == 0
    assert collected(OutboxCollector())[("mercato_outbox_oldest_pending_age_seconds", ())] == 0
    # Never relayed: the test's transaction does not commit.
    for _ in range(3):
        publish("stock.reserved", event_data("stock.reserved"))
    oldest = OutboxEvent.objects.order_by("created_at").first()
    OutboxEvent.objects.filter(id=oldest.id).update(
        created_at=timezone.now() - timedelta(seconds=120)
    )
    OutboxEvent.objects.create(
        id=uuid.uuid4(),
        type="stock.reserved",
        envelope={},
        published_at=timezone.now(),
    )

    samples = collected(OutboxCollector())

    assert samples[("mercato_outbox_pending_events", ())] == 3
    assert 120 <= samples[("mercato_outbox_oldest_pending_age_seconds", ())] < 180


def test_unresolved_dead_letters_are_counted_by_handler_and_replayed_ones_are_not():
    for handler in ("first__handler", "first__handler", "second__handler", "second__handler"):
        dead_letter_record(
            envelope={"id": str(uuid.uuid4()), "type": "stock.reserved"},
            handler=handler,
            error="boom",
            attempts=1,
        )
    DeadLetter.objects.filter(
        id=DeadLetter.objects.filter(handler="second__handler").first().id
    ).update(replayed_at=timezone.now())

    samples = collected(OutboxCollector())

    assert samples[("mercato_dead_letters_unresolved", ("first__handler",))] == 2
    assert samples[("mercato_dead_letters_unresolved", ("second__handler",))] == 1


@pytest.fixture
def redis_broker():
    """The current Celery app on the test's own Redis database, emptied around (a queue's
    messages of each priority have a list of their own)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    app = Celery(
        "queue-depth", broker=broker_url_from_redis(settings.REDIS_URL), set_as_current=False
    )
    previous = current_app._get_current_object()
    app.set_current()
    try:
        yield app
    finally:
        previous.set_current()
        client.flushdb()
        client.close()


def test_queue_depth_is_what_the_broker_holds_in_each_of_the_services_queues(redis_broker):
    service = settings.SERVICE_NAME
    with redis_broker.connection_for_write() as connection:
        for queue, messages in ((service, 3), (f"{service}.events", 1)):
            simple = connection.SimpleQueue(queue)
            for number in range(messages):
                simple.put({"number": number})
            simple.close()

    samples = collected(QueueDepthCollector())

    assert samples == {
        ("mercato_celery_queue_depth", (service,)): 3,
        ("mercato_celery_queue_depth", (f"{service}.events",)): 1,
    }


def test_queue_depth_of_an_empty_queue_is_zero(redis_broker):
    samples = collected(QueueDepthCollector())

    assert set(samples.values()) == {0}
    assert len(samples) == len(settings.CELERY_TASK_QUEUES)


def test_a_broker_that_does_not_answer_leaves_queue_depth_out_of_the_scrape():
    with broker_unreachable():
        assert collected(QueueDepthCollector()) == {}


def test_the_web_metrics_page_holds_the_scrape_time_gauges_beside_the_request_metrics(client):
    publish("stock.reserved", event_data("stock.reserved"))

    response = client.get("/metrics")

    assert response.status_code == 200, response.content
    page = response.content.decode()
    assert "mercato_outbox_pending_events 1.0" in page
    assert "mercato_outbox_oldest_pending_age_seconds" in page
    assert "django_http_requests_total_by_view_transport_method_total" in page
