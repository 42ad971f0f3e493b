"""Inventory's metric: reservations refused, by reason, counted once their event commits."""

import uuid

import pytest
from django.db import transaction

from apps.inventory.services import stock_reserve
from common.testing.metrics import metric_value

pytestmark = pytest.mark.django_db
REJECTED = "mercato_stock_reservations_rejected_total"


def line(product_id, quantity: int) -> dict:
    return {"product_id": str(product_id), "quantity": quantity}


def test_a_reservation_short_of_stock_or_of_a_product_is_counted_by_reason(stocked, committed):
    tea = stocked(1)
    before = {
        reason: metric_value(REJECTED, reason=reason)
        for reason in ("out_of_stock", "unknown_product")
    }

    with committed():
        stock_reserve(order_id=uuid.uuid4(), lines=[line(tea.id, 2)])
        stock_reserve(order_id=uuid.uuid4(), lines=[line(uuid.uuid4(), 1)])
        stock_reserve(order_id=uuid.uuid4(), lines=[line(tea.id, 1)])

    assert metric_value(REJECTED, reason="out_of_stock") == before["out_of_stock"] + 1
    assert metric_value(REJECTED, reason="unknown_product") == before["unknown_product"] + 1


def test_a_rejection_rolled_back_is_not_counted(stocked, committed):
    tea = stocked(1)
    before = metric_value(REJECTED, reason="out_of_stock")

    def rejected_then_failed() -> None:
        with transaction.atomic():
            stock_reserve(order_id=uuid.uuid4(), lines=[line(tea.id, 2)])
            raise RuntimeError("the handler failed after the rejection")

    with committed(), pytest.raises(RuntimeError):
        rejected_then_failed()

    assert metric_value(REJECTED, reason="out_of_stock") == before
