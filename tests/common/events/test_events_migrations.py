"""The handler-key migration moves inbox entries and dead letters from Python paths to keys."""

import uuid

import pytest

from common.testing.migrations import at_migration, migrate

BEFORE = "0002_retention_indexes"
MIGRATION = "0003_stable_handler_keys"
OLD_PATH = "apps.inventory.handlers.order_created_reserve_stock"
KEY = "order_created__reserve_stock"


@pytest.fixture
def before_keys(db):
    """The events tables as they stood before keys: (InboxEntry, DeadLetter) of that state."""
    with at_migration("events", BEFORE) as models:
        yield models.get_model("events", "InboxEntry"), models.get_model("events", "DeadLetter")


def dead_letter(model, *, handler: str, event_id: uuid.UUID) -> None:
    model.objects.create(
        event_id=event_id, handler=handler, type="order.created", envelope={}, error="", attempts=5
    )


def rows_after_the_migration(model_name: str, *fields: str) -> list[tuple]:
    model = migrate("events", MIGRATION).get_model("events", model_name)
    return list(model.objects.values_list(*fields))


def test_inbox_entries_and_dead_letters_under_a_python_path_move_to_the_handlers_key(
    before_keys,
):
    inbox_entry, dead_letters = before_keys
    handled, failed = uuid.uuid4(), uuid.uuid4()
    inbox_entry.objects.create(event_id=handled, handler=OLD_PATH)
    dead_letter(dead_letters, handler=OLD_PATH, event_id=failed)

    assert rows_after_the_migration("InboxEntry", "event_id", "handler") == [(handled, KEY)]
    assert rows_after_the_migration("DeadLetter", "event_id", "handler") == [(failed, KEY)]


def test_rows_of_unknown_handlers_stay_as_they_are(before_keys):
    inbox_entry, dead_letters = before_keys
    inbox_entry.objects.create(event_id=uuid.uuid4(), handler="tests.some_handler")
    dead_letter(dead_letters, handler="invalid_event", event_id=uuid.uuid4())

    assert rows_after_the_migration("InboxEntry", "handler") == [("tests.some_handler",)]
    assert rows_after_the_migration("DeadLetter", "handler") == [("invalid_event",)]


def test_an_event_already_stored_under_the_key_keeps_one_inbox_entry(before_keys):
    inbox_entry, _ = before_keys
    event_id = uuid.uuid4()
    inbox_entry.objects.create(event_id=event_id, handler=OLD_PATH)
    inbox_entry.objects.create(event_id=event_id, handler=KEY)

    assert rows_after_the_migration("InboxEntry", "event_id", "handler") == [(event_id, KEY)]
