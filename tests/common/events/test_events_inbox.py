"""Handlers apply an event at most once, are retried when they fail, then dead-lettered."""

import threading
import uuid

import pytest
import structlog
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from common.events import inbox
from common.events.envelope import Event, envelope_for
from common.events.inbox import (
    INVALID_EVENT,
    RETRY_NOT_QUEUED,
    RETRY_TASK,
    dead_letter_record,
    dead_letter_replay,
    event_consume,
    event_handle,
)
from common.events.models import DeadLetter, InboxEntry, OutboxEvent
from common.events.outbox import publish
from common.testing.celery import broker_unreachable, tasks_sent
from common.testing.events import deliver, event_data

pytestmark = pytest.mark.django_db
HANDLER = "tests.record_reservation"


class RecordingHandler:
    """Publishes stock.released, so its effects are visible; fails with `fault` when set."""

    def __init__(self) -> None:
        self.calls: list[uuid.UUID] = []
        self.fault: Exception | None = None

    def __call__(self, event) -> None:
        self.calls.append(event.id)
        publish("stock.released", {"order_id": event.data["order_id"], "reason": "test"})
        if self.fault is not None:
            raise self.fault


@pytest.fixture
def handled(monkeypatch) -> RecordingHandler:
    """The only handler of stock.reserved in these tests."""
    recording = RecordingHandler()
    monkeypatch.setattr(inbox, "HANDLERS", {HANDLER: (frozenset({"stock.reserved"}), recording)})
    return recording


def test_an_event_delivered_twice_is_applied_once(handled):
    envelope = deliver("stock.reserved", event_data("stock.reserved"), times=2)

    assert handled.calls == [uuid.UUID(envelope["id"])]
    assert OutboxEvent.objects.filter(type="stock.released").count() == 1
    assert InboxEntry.objects.filter(event_id=envelope["id"], handler=HANDLER).count() == 1


def test_each_delivery_logs_whether_it_was_applied_or_turned_away(handled):
    with structlog.testing.capture_logs(
        processors=[structlog.contextvars.merge_contextvars]
    ) as logs:
        envelope = deliver("stock.reserved", event_data("stock.reserved"), times=2)

    outcomes = [(line["event"], line["event_id"], line["handler"]) for line in logs]
    assert outcomes == [
        ("event_handled", envelope["id"], HANDLER),
        ("event_already_handled", envelope["id"], HANDLER),
    ]


def test_a_failing_handler_leaves_no_effect_and_ends_in_the_dead_letters(handled, settings):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 3
    handled.fault = RuntimeError("the mail server is down")

    envelope = deliver("stock.reserved", event_data("stock.reserved"))

    assert len(handled.calls) == 3
    assert not OutboxEvent.objects.exists()
    assert not InboxEntry.objects.exists()
    dead_letter = DeadLetter.objects.get()
    assert (dead_letter.event_id, dead_letter.handler) == (uuid.UUID(envelope["id"]), HANDLER)
    assert dead_letter.attempts == 3
    assert "the mail server is down" in dead_letter.error


def test_a_retry_waits_no_longer_than_a_worker_may_hold_its_message(handled, settings, monkeypatch):
    settings.EVENT_RETRY_BACKOFF_SECONDS = 3600
    settings.TASK_COUNTDOWN_MAXIMUM_SECONDS = 30
    # Full jitter draws the wait from 0 up to the backoff: take the top.
    monkeypatch.setattr("celery.utils.time.random.randrange", lambda stop: stop - 1)
    handled.fault = RuntimeError("the mail server is down")

    with tasks_sent() as sent:
        envelope = deliver("stock.reserved", event_data("stock.reserved"))

    [retry] = sent
    assert (retry.name, retry.args) == (RETRY_TASK, (envelope, HANDLER, 2))
    assert 29 < retry.countdown <= 30


def test_replaying_a_dead_letter_after_the_fault_is_fixed_applies_it_once(handled, settings):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 1
    handled.fault = RuntimeError("down")
    deliver("stock.reserved", event_data("stock.reserved"))
    dead_letter = DeadLetter.objects.get()

    handled.fault = None
    dead_letter_replay(dead_letter=dead_letter)
    dead_letter_replay(dead_letter=dead_letter)

    assert len(handled.calls) == 2
    assert OutboxEvent.objects.filter(type="stock.released").count() == 1
    assert DeadLetter.objects.get().replayed_at is not None


def test_a_replay_that_fails_again_keeps_the_dead_letter_with_the_new_error(handled, settings):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 1
    handled.fault = RuntimeError("first")
    deliver("stock.reserved", event_data("stock.reserved"))
    handled.fault = RuntimeError("second")

    with pytest.raises(inbox.ApplicationError, match="failed again"):
        dead_letter_replay(dead_letter=DeadLetter.objects.get())

    dead_letter = DeadLetter.objects.get()
    assert "second" in dead_letter.error
    assert dead_letter.attempts == 2
    assert dead_letter.replayed_at is None


def test_a_malformed_event_goes_straight_to_the_dead_letters_without_retries(handled):
    event_consume(envelope={"specversion": "1.0", "id": str(uuid.uuid4()), "type": "x"})

    assert handled.calls == []
    assert DeadLetter.objects.get().handler == INVALID_EVENT


def test_one_handler_may_take_several_types_each_event_once(monkeypatch):
    seen = []
    monkeypatch.setattr(inbox, "HANDLERS", {})
    inbox.handler("stock.reserved", "stock.released", key="stock_events__record")(
        lambda event: seen.append(event.type)
    )
    order = {"order_id": str(uuid.uuid4())}

    deliver("stock.reserved", order, times=2)
    deliver("stock.released", {**order, "reason": "test"}, times=2)
    deliver("stock.rejected", {**order, "reason": "out_of_stock", "product_ids": []})

    assert seen == ["stock.reserved", "stock.released"]


def test_a_handler_renamed_in_code_keeps_its_key_and_does_not_apply_a_handled_event_again(
    monkeypatch,
):
    """The next release renames the function (or moves it): redeliveries find its inbox row."""
    applied = []
    monkeypatch.setattr(inbox, "HANDLERS", {})

    @inbox.handler("stock.reserved", key="stock_reserved__record")
    def record_reservation(event) -> None:
        applied.append("before the rename")

    envelope = deliver("stock.reserved", {"order_id": str(uuid.uuid4())})
    monkeypatch.setattr(inbox, "HANDLERS", {})

    @inbox.handler("stock.reserved", key="stock_reserved__record")
    def reservation_note(event) -> None:
        applied.append("after the rename")

    event_consume(envelope=envelope)

    assert applied == ["before the rename"]
    assert InboxEntry.objects.get().handler == "stock_reserved__record"


def test_two_handlers_declaring_one_key_stop_the_service_at_registration(monkeypatch):
    monkeypatch.setattr(inbox, "HANDLERS", {})
    inbox.handler("stock.reserved", key="stock_reserved__record")(lambda event: None)

    with pytest.raises(ImproperlyConfigured, match=r"stock_reserved__record.*declared by both"):
        inbox.handler("stock.released", key="stock_reserved__record")(lambda event: None)


@pytest.mark.parametrize(
    "key", ["record", "tests.record_reservation", "Stock_reserved__record", "stock__reserved__x"]
)
def test_a_key_not_shaped_trigger_effect_is_refused_at_registration(monkeypatch, key):
    monkeypatch.setattr(inbox, "HANDLERS", {})

    with pytest.raises(ImproperlyConfigured, match="<trigger>__<effect>"):
        inbox.handler("stock.reserved", key=key)(lambda event: None)


def test_a_retry_or_dead_letter_naming_a_handler_by_its_python_path_runs_it_under_its_key(
    monkeypatch,
):
    """What workers of the release before keys still queue and record during a rolling upgrade."""
    applied = []
    monkeypatch.setattr(inbox, "HANDLERS", {})

    @inbox.handler("stock.reserved", key="stock_reserved__record")
    def record_reservation(event) -> None:
        applied.append(event.id)

    path = f"{__name__}.{record_reservation.__qualname__}"
    retried, dead = (
        envelope_for(event_type="stock.reserved", data={"order_id": str(uuid.uuid4())}, source="t")
        for _ in range(2)
    )
    event_handle(event=Event.from_envelope(retried), envelope=retried, handler_name=path, attempt=2)
    dead_letter_replay(
        dead_letter=dead_letter_record(envelope=dead, handler=path, error="old", attempts=5)
    )

    assert applied == [uuid.UUID(retried["id"]), uuid.UUID(dead["id"])]
    assert set(InboxEntry.objects.values_list("handler", flat=True)) == {"stock_reserved__record"}


def test_a_retry_the_broker_refuses_leaves_the_event_in_the_dead_letters(handled, settings):
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 3
    handled.fault = RuntimeError("the mail server is down")

    with broker_unreachable():
        envelope = deliver("stock.reserved", event_data("stock.reserved"))

    assert len(handled.calls) == 1
    dead_letter = DeadLetter.objects.get()
    assert (dead_letter.event_id, dead_letter.handler) == (uuid.UUID(envelope["id"]), HANDLER)
    assert dead_letter.attempts == 1
    assert dead_letter.error.startswith(RETRY_NOT_QUEUED)
    assert "the mail server is down" in dead_letter.error


@pytest.mark.django_db(transaction=True)
def test_a_delivery_racing_one_still_in_its_transaction_waits_and_then_applies_nothing():
    """Two workers holding copies of one event: the second's inbox insert waits for the first's
    transaction, then finds its row."""
    event_id = uuid.uuid4()
    first_inserted, first_may_commit = threading.Event(), threading.Event()
    outcomes: dict[str, bool] = {}

    def deliver_first() -> None:
        with transaction.atomic():
            outcomes["first"] = inbox.inbox_entry_created(event_id=event_id, handler_name=HANDLER)
            first_inserted.set()
            first_may_commit.wait(timeout=10)
        connection.close()

    def deliver_second() -> None:
        with transaction.atomic():
            outcomes["second"] = inbox.inbox_entry_created(event_id=event_id, handler_name=HANDLER)
        connection.close()

    first = threading.Thread(target=deliver_first)
    first.start()
    first_inserted.wait(timeout=10)
    second = threading.Thread(target=deliver_second)
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive()  # waiting on the first's uncommitted row
    first_may_commit.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert outcomes == {"first": True, "second": False}
    assert InboxEntry.objects.filter(event_id=event_id, handler=HANDLER).count() == 1
