"""The saga's inbound events: each moves an order one step, once, and only from the right step."""

import pytest

from apps.orders.models import Order, OrderStatus
from common.events.models import DeadLetter
from common.testing.events import deliver, event_data, published, published_data
from tests.orders.conftest import order_in

pytestmark = pytest.mark.django_db


def about(order: Order) -> dict:
    """What every event orders publishes about `order` says of it."""
    return {"order_id": str(order.id), "customer_id": str(order.customer_id), "currency": "EUR"}


def summary(order: Order) -> dict:
    lines = [
        {
            "product_id": str(line.product_id),
            "sku": line.sku,
            "name": line.name,
            "quantity": 2,
            "unit_price": "10.00",
        }
        for line in order.lines.all()
    ]
    return {**about(order), "total": "20.00", "lines": lines}


def charge(order: Order) -> dict:
    return {**about(order), "amount": "20.00"}


def for_order(event_type: str, order: Order, **overrides) -> dict:
    """Data of `event_type` about `order`, the rest as the event's schema samples it."""
    return event_data(event_type, order_id=str(order.id), **overrides)


def paid(order: Order, event_type: str = "payment.succeeded") -> dict:
    """The data of payments' `event_type` (succeeded or refunded) for the whole of `order`."""
    return for_order(event_type, order, amount="20.00", currency="EUR")


def history(order: Order) -> list[tuple[str, str, str, str]]:
    return list(order.history.values_list("from_status", "to_status", "reason", "actor"))[1:]


def test_stock_reserved_awaits_payment_and_requests_it_once():
    order = order_in(OrderStatus.PENDING)

    deliver(
        "stock.reserved",
        for_order("stock.reserved", order),
        times=2,
        source="catalog",
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert published_data("order.payment_requested") == [
        {**charge(order), "payment_method": "pm_card_ok"}
    ]
    assert history(order) == [("PENDING", "AWAITING_PAYMENT", "stock reserved", "service:catalog")]


@pytest.mark.parametrize("reason", ["out_of_stock", "unknown_product"])
def test_stock_rejected_cancels_with_catalogs_reason(reason):
    order = order_in(OrderStatus.PENDING)

    rejected = for_order("stock.rejected", order, reason=reason)

    deliver("stock.rejected", rejected, times=2, source="catalog")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == reason
    assert published_data("order.cancelled") == [{**summary(order), "reason": reason}]


@pytest.mark.parametrize(
    ("before", "event_type", "after", "reason", "announced"),
    [
        (
            OrderStatus.AWAITING_PAYMENT,
            "payment.succeeded",
            OrderStatus.CONFIRMED,
            "paid",
            "order.confirmed",
        ),
        (
            OrderStatus.REFUND_PENDING,
            "payment.refunded",
            OrderStatus.REFUNDED,
            "refunded",
            "order.refunded",
        ),
    ],
)
def test_a_payment_outcome_moves_the_order_and_announces_it_once(
    before, event_type, after, reason, announced
):
    order = order_in(before)

    deliver(event_type, paid(order, event_type), times=2, source="payments")

    order.refresh_from_db()
    assert order.status == after
    assert published_data(announced) == [summary(order)]
    assert history(order) == [(before, after, reason, "service:payments")]


def test_payment_failed_cancels_with_reason_payment_failed():
    order = order_in(OrderStatus.AWAITING_PAYMENT)

    failed = for_order("payment.failed", order, reason="card_declined")

    deliver("payment.failed", failed, times=2, source="payments")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "payment_failed"
    assert published_data("order.cancelled") == [{**summary(order), "reason": "payment_failed"}]


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

    deliver("stock.reserved", for_order("stock.reserved", order), source="catalog")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert published_data("order.cancelled") == [{**summary(order), "reason": "changed my mind"}]
    assert published("order.payment_requested") == []


@pytest.mark.parametrize(
    ("status", "event_type"),
    [
        (OrderStatus.AWAITING_PAYMENT, "stock.reserved"),
        (OrderStatus.CONFIRMED, "stock.rejected"),
        (OrderStatus.AWAITING_PAYMENT, "stock.rejected"),
        (OrderStatus.PENDING, "payment.succeeded"),
        (OrderStatus.CONFIRMED, "payment.succeeded"),
        (OrderStatus.CONFIRMED, "payment.failed"),
        (OrderStatus.CANCELLED, "payment.failed"),
        (OrderStatus.CONFIRMED, "payment.refunded"),
        (OrderStatus.REFUNDED, "payment.refunded"),
    ],
)
def test_an_event_that_does_not_fit_the_current_status_changes_nothing(status, event_type):
    order = order_in(status)
    changed_at = order.updated_at

    deliver(event_type, for_order(event_type, order))

    order.refresh_from_db()
    assert order.status == status
    assert order.updated_at == changed_at
    assert order.history.count() == 1
    assert published() == []
    assert DeadLetter.objects.count() == 0


def test_an_event_for_an_unknown_order_is_ignored_without_dead_lettering():
    deliver("stock.reserved", event_data("stock.reserved"))

    assert published() == []
    assert DeadLetter.objects.count() == 0


def test_the_whole_saga_from_placement_to_refund():
    order = order_in(OrderStatus.PENDING)

    deliver("stock.reserved", for_order("stock.reserved", order), source="catalog")
    deliver("payment.succeeded", paid(order), source="payments")
    order.refresh_from_db()
    order.transition(OrderStatus.REFUND_PENDING, reason="refund requested", actor="tests")
    deliver("payment.refunded", paid(order, "payment.refunded"), source="payments")

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
