"""Old sent outbox rows and old inbox entries are pruned; unsent rows and recent ones stay."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from common.events.models import InboxEntry, OutboxEvent
from common.events.outbox import publish
from common.events.retention import events_prune

pytestmark = pytest.mark.django_db


def aged(days: int):
    return timezone.now() - timedelta(days=days)


def outbox_row(*, published_days_ago: int | None) -> OutboxEvent:
    row = publish("stock.reserved", {"order_id": str(uuid.uuid4())})
    if published_days_ago is not None:
        OutboxEvent.objects.filter(id=row.id).update(published_at=aged(published_days_ago))
    return row


def inbox_entry(*, days_ago: int) -> InboxEntry:
    entry = InboxEntry.objects.create(event_id=uuid.uuid4(), handler="tests.handler")
    InboxEntry.objects.filter(id=entry.id).update(handled_at=aged(days_ago))
    return entry


def test_sent_rows_past_retention_go_and_everything_else_stays(settings):
    settings.OUTBOX_RETENTION_DAYS, settings.INBOX_RETENTION_DAYS = 7, 30
    old_sent, recent_sent = outbox_row(published_days_ago=8), outbox_row(published_days_ago=6)
    never_sent = outbox_row(published_days_ago=None)
    OutboxEvent.objects.filter(id=never_sent.id).update(created_at=aged(60))
    old_entry, recent_entry = inbox_entry(days_ago=31), inbox_entry(days_ago=29)

    pruned = events_prune()

    assert pruned == {"outbox": 1, "inbox": 1}
    assert set(OutboxEvent.objects.values_list("id", flat=True)) == {recent_sent.id, never_sent.id}
    assert list(InboxEntry.objects.values_list("id", flat=True)) == [recent_entry.id]
    assert not OutboxEvent.objects.filter(id=old_sent.id).exists()
    assert not InboxEntry.objects.filter(id=old_entry.id).exists()
