"""record(): one entry per action, written only inside the transaction of the change."""

import re

import pytest
from django.db import transaction

from common.audit.models import AuditEntry
from common.audit.services import NOT_IN_A_TRANSACTION, record
from common.events.models import OutboxEvent


def outbox_event() -> OutboxEvent:
    return OutboxEvent.objects.create(
        id="6f1c3f0e-8f7b-4f43-9a55-0d3e5f9d1a11", type="stock.reserved", envelope={}
    )


def entry_for(target: OutboxEvent) -> dict:
    return {
        "actor_id": "user-1",
        "actor_email": "support@mercato.local",
        "action": "events.outbox.inspect",
        "target": target,
        "before": {"published_at": None},
        "after": {"published_at": "2026-12-01T10:00:00Z"},
        "request_id": "request-1",
    }


@pytest.mark.django_db
def test_an_entry_names_the_actor_the_action_the_target_and_the_request():
    target = outbox_event()

    entry = record(**entry_for(target), arguments={"why": "a test"})

    entry = AuditEntry.objects.get(id=entry.id)
    assert (entry.actor_id, entry.actor_email, entry.action) == (
        "user-1",
        "support@mercato.local",
        "events.outbox.inspect",
    )
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "events.outboxevent",
        str(target.id),
        str(target),
    )
    assert (entry.before, entry.after) == (
        {"published_at": None},
        {"published_at": "2026-12-01T10:00:00Z"},
    )
    assert (entry.arguments, entry.request_id) == ({"why": "a test"}, "request-1")
    assert entry.refusal == ""
    assert entry.at is not None


@pytest.mark.django_db(transaction=True)
def test_an_entry_outside_a_transaction_is_refused():
    target = outbox_event()

    with pytest.raises(RuntimeError, match=re.escape(NOT_IN_A_TRANSACTION)):
        record(**entry_for(target))

    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_entry_goes_with_its_change_when_the_transaction_rolls_back():
    target = outbox_event()

    def change_that_fails() -> None:
        with transaction.atomic():
            record(**entry_for(target))
            raise ValueError("the change failed after its entry was written")

    with pytest.raises(ValueError, match="the change failed"):
        change_that_fails()

    assert not AuditEntry.objects.exists()
