"""The saga's inbound events: each moves an order one step, once, and only from the right step."""

import uuid

import pytest

from apps.orders.models import Order, OrderStatus
from common.events.models import DeadLetter
from common.testing.events import deliver, published, published_data
from tests.orders.conftest import order_in

pytestmark = pytest.mark.django_db

PAYMENT_ID = "6f1b8a52-3c1e-4a55-9d61-0c2f7a9e4b10"
# The data of payment.succeeded and payment.refunded, but for the order id.
PAYMENT = {"payment_id": PAYMENT_ID, "amount": "20.00", "currency": "EUR"}


def summary(order: Order) -> dict:
    return {
        "order_id": str(order.id),
        "customer_id": str(order.customer_id),
        "total": "20.00",
        "currency": "EUR",
        "lines": [
            {
                "product_id": str(line.product_id),
                "sku": line.sku,
                "name": line.name,
                "quantity": 2,
                "unit_price": "10.00",
            }
            for line in order.lines.all()
        ],
    }


def charge(order: Order) -> dict:
    return {
        "order_id": str(order.id),
        "customer_id": str(order.customer_id),
        "amount": "20.00",
        "currency": "EUR",
    }


def paid(order: Order) -> dict:
    return {"order_id": str(order.id), **PAYMENT}


def history(order: Order) -> list[tuple[str, str, str, str]]:
    return list(order.history.values_list("from_status", "to_status", "reason", "actor"))[1:]


def test_stock_reserved_awaits_payment_and_requests_it_once():
    order = order_in(OrderStatus.PENDING)

    deliver("stock.reserved", {"order_id": str(order.id)}, times=2, source="catalog")

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert published_data("order.payment_requested") == [
        {**charge(order), "payment_method": "pm_card_ok"}
    ]
    assert history(order) == [("PENDING", "AWAITING_PAYMENT", "stock reserved", "service:catalog")]


@pytest.mark.parametrize("reason", ["out_of_stock", "unknown_product"])
def test_stock_rejected_cancels_with_catalogs_reason(reason):
    order = order_in(OrderStatus.PENDING)

    deliver(
        "stock.rejected",
        {"order_id": str(order.id), "reason": reason, "product_ids": []},
        times=2,
        source="catalog",
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == reason
    assert published_data("order.cancelled") == [{**summary(order), "reason": reason}]


def test_payment_succeeded_confirms_and_announces_the_order_once():
    order = order_in(OrderStatus.AWAITING_PAYMENT)

    deliver("payment.succeeded", paid(order), times=2, source="payments")

    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert published_data("order.confirmed") == [summary(order)]
    assert history(order) == [("AWAITING_PAYMENT", "CONFIRMED", "paid", "service:payments")]


def test_payment_failed_cancels_with_reason_payment_failed():
    order = order_in(OrderStatus.AWAITING_PAYMENT)

    deliver(
        "payment.failed",
        {"order_id": str(order.id), "payment_id": PAYMENT_ID, "reason": "card_declined"},
        times=2,
        source="payments",
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "payment_failed"
    assert published_data("order.cancelled") == [{**summary(order), "reason": "payment_failed"}]


def test_payment_refunded_marks_the_order_refunded_and_returns_the_stock():
    order = order_in(OrderStatus.REFUND_PENDING)

    deliver("payment.refunded", paid(order), times=2, source="payments")

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert published_data("order.refunded") == [summary(order)]


def test_a_late_payment_on_a_cancelled_order_is_refunded_and_the_order_stays_cancelled():
    order = order_in(OrderStatus.CANCELLED)

    deliver("payment.succeeded", paid(order), times=2, source="payments")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert published_data("order.refund_requested") == [charge(order)]
    assert published("order.confirmed") == []


def test_stock_reserved_after_the_cancel_asks_catalog_again_to_release_it():
    order = order_in(OrderStatus.CANCELLED)
    Order.objects.filter(id=order.id).update(cancel_reason="changed my mind")

    deliver("stock.reserved", {"order_id": str(order.id)}, source="catalog")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert published_data("order.cancelled") == [{**summary(order), "reason": "changed my mind"}]
    assert published("order.payment_requested") == []


@pytest.mark.parametrize(
    ("status", "event_type", "data"),
    [
        (OrderStatus.AWAITING_PAYMENT, "stock.reserved", {}),
        (OrderStatus.CONFIRMED, "stock.rejected", {"reason": "out_of_stock", "product_ids": []}),
        (
            OrderStatus.AWAITING_PAYMENT,
            "stock.rejected",
            {"reason": "out_of_stock", "product_ids": []},
        ),
        (OrderStatus.PENDING, "payment.succeeded", PAYMENT),
        (OrderStatus.CONFIRMED, "payment.succeeded", PAYMENT),
        (OrderStatus.CONFIRMED, "payment.failed", {"payment_id": PAYMENT_ID, "reason": "declined"}),
        (OrderStatus.CANCELLED, "payment.failed", {"payment_id": PAYMENT_ID, "reason": "declined"}),
        (OrderStatus.CONFIRMED, "payment.refunded", PAYMENT),
        (OrderStatus.REFUNDED, "payment.refunded", PAYMENT),
    ],
)
def test_an_event_that_does_not_fit_the_current_status_changes_nothing(status, event_type, data):
    order = order_in(status)
    changed_at = order.updated_at

    deliver(event_type, {"order_id": str(order.id), **data})

    order.refresh_from_db()
    assert order.status == status
    assert order.updated_at == changed_at
    assert order.history.count() == 1
    assert published() == []
    assert DeadLetter.objects.count() == 0


def test_an_event_for_an_unknown_order_is_ignored_without_dead_lettering():
    deliver("stock.reserved", {"order_id": str(uuid.uuid4())})

    assert published() == []
    assert DeadLetter.objects.count() == 0


def test_the_whole_saga_from_placement_to_refund():
    order = order_in(OrderStatus.PENDING)

    deliver("stock.reserved", {"order_id": str(order.id)}, source="catalog")
    deliver("payment.succeeded", paid(order), source="payments")
    order.refresh_from_db()
    order.transition(OrderStatus.REFUND_PENDING, reason="refund requested", actor="tests")
    deliver("payment.refunded", paid(order), source="payments")

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert [step[1] for step in history(order)] == [
        "AWAITING_PAYMENT",
        "CONFIRMED",
        "REFUND_PENDING",
        "REFUNDED",
    ]
    assert [envelope["type"] for envelope in published()] == [
        "order.payment_requested",
        "order.confirmed",
        "order.refunded",
    ]
