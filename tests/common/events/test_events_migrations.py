"""The handler-key migration moves inbox entries and dead letters from Python paths to keys."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from common.events.models import DeadLetter, InboxEntry

pytestmark = pytest.mark.django_db
MIGRATION = ("events", "0003_stable_handler_keys")
OLD_PATH = "apps.inventory.handlers.order_created_reserve_stock"
KEY = "order_created__reserve_stock"


def migrate_forwards() -> None:
    """Runs the migration's data step on the models as they stood before it."""
    loader = MigrationLoader(connection)
    before = loader.project_state(("events", "0002_retention_indexes")).apps
    (step,) = loader.get_migration(*MIGRATION).operations
    step.code(before, None)


def dead_letter(*, handler: str, event_id: uuid.UUID) -> DeadLetter:
    return DeadLetter.objects.create(
        event_id=event_id, handler=handler, type="order.created", envelope={}, error="", attempts=5
    )


def test_inbox_entries_and_dead_letters_under_a_python_path_move_to_the_handlers_key():
    handled, failed = uuid.uuid4(), uuid.uuid4()
    InboxEntry.objects.create(event_id=handled, handler=OLD_PATH)
    dead_letter(handler=OLD_PATH, event_id=failed)

    migrate_forwards()

    assert list(InboxEntry.objects.values_list("event_id", "handler")) == [(handled, KEY)]
    assert list(DeadLetter.objects.values_list("event_id", "handler")) == [(failed, KEY)]


def test_rows_of_unknown_handlers_stay_as_they_are():
    InboxEntry.objects.create(event_id=uuid.uuid4(), handler="tests.some_handler")
    dead_letter(handler="invalid_event", event_id=uuid.uuid4())

    migrate_forwards()

    assert list(InboxEntry.objects.values_list("handler", flat=True)) == ["tests.some_handler"]
    assert list(DeadLetter.objects.values_list("handler", flat=True)) == ["invalid_event"]


def test_an_event_already_stored_under_the_key_keeps_one_inbox_entry():
    event_id = uuid.uuid4()
    InboxEntry.objects.create(event_id=event_id, handler=OLD_PATH)
    InboxEntry.objects.create(event_id=event_id, handler=KEY)

    migrate_forwards()

    assert list(InboxEntry.objects.values_list("event_id", "handler")) == [(event_id, KEY)]
