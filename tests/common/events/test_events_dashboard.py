"""Every service's dashboard shows its dead letters waiting for a replay, by handler, to
operators who may read its events."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.events.models import DeadLetter
from common.events.selectors import dead_letter_counts_by_handler

pytestmark = pytest.mark.django_db

INDEX = "/catalog/admin/"


def dead_letter(handler: str, *, replayed: bool = False) -> DeadLetter:
    return DeadLetter.objects.create(
        event_id=uuid.uuid4(),
        type="order.created",
        handler=handler,
        envelope={},
        error="RuntimeError('fault')",
        attempts=5,
        replayed_at=timezone.now() if replayed else None,
    )


def test_dead_letters_not_replayed_are_counted_by_handler_the_most_first():
    dead_letter("order_created__reserve_stock")
    dead_letter("order_cancelled__release_stock")
    dead_letter("order_created__reserve_stock")
    dead_letter("order_cancelled__release_stock", replayed=True)

    assert dead_letter_counts_by_handler() == [
        ("order_created__reserve_stock", 2),
        ("order_cancelled__release_stock", 1),
    ]


def test_the_index_shows_dead_letters_in_one_query_to_who_reads_events(operator_client):
    without_panels = operator_client("catalog.admin.access")
    with CaptureQueriesContext(connection) as bare:
        without_panels.get(INDEX)
    client = operator_client("catalog.admin.access", "catalog.event.read")
    for _ in range(3):
        dead_letter("order_created__reserve_stock")

    with CaptureQueriesContext(connection) as captured:
        page = client.get(INDEX).content.decode()

    assert len(captured) == len(bare) + 1
    assert "<title>order_created__reserve_stock: 3</title>" in page
    assert "3 events wait for a replay" in page


def test_dead_letters_are_hidden_from_an_operator_who_cannot_read_events(operator_client):
    client = operator_client("catalog.admin.access")
    dead_letter("order_created__reserve_stock")

    assert "Dead letters waiting" not in client.get(INDEX).content.decode()
