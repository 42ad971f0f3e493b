"""Orders' metrics move when their event commits: a placement, each status an order settles in
(cancellations by reason, a person's own words counted as `requested`), and the saga's duration."""

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.orders.models import Order, OrderStatus
from apps.orders.services import order_cancel, order_place, orders_expire_unpaid
from common.errors import ApplicationError
from common.testing.events import deliver, event_data
from common.testing.metrics import metric_value
from tests.orders.conftest import order_in

pytestmark = pytest.mark.django_db
TERMINAL = "mercato_orders_terminal_total"
SAGA_COUNT = "mercato_saga_duration_seconds_count"


def terminal(status: str, reason: str = "") -> float:
    return metric_value(TERMINAL, status=status, reason=reason)


def test_a_placed_order_is_counted_and_a_refused_one_is_not(catalog_stub, committed):
    tea = uuid.uuid4()
    catalog_stub.add(tea, price="7.20")
    before = metric_value("mercato_orders_placed_total")

    with committed():
        order_place(
            customer_id=str(uuid.uuid4()),
            lines=[{"product_id": tea, "quantity": 1}],
            payment_method="pm_card_ok",
        )
        with pytest.raises(ApplicationError):
            order_place(
                customer_id=str(uuid.uuid4()),
                lines=[{"product_id": uuid.uuid4(), "quantity": 1}],
                payment_method="pm_card_ok",
            )

    assert metric_value("mercato_orders_placed_total") == before + 1


def test_a_confirmed_order_is_counted_with_its_saga_duration(committed):
    order = order_in(OrderStatus.AWAITING_PAYMENT)
    Order.objects.filter(id=order.id).update(created_at=timezone.now() - timedelta(seconds=3))
    confirmed, durations = terminal("CONFIRMED"), metric_value(SAGA_COUNT, status="CONFIRMED")
    seconds = metric_value("mercato_saga_duration_seconds_sum", status="CONFIRMED")

    with committed():
        deliver("payment.succeeded", event_data("payment.succeeded", order_id=str(order.id)))

    assert terminal("CONFIRMED") == confirmed + 1
    assert metric_value(SAGA_COUNT, status="CONFIRMED") == durations + 1
    assert metric_value("mercato_saga_duration_seconds_sum", status="CONFIRMED") >= seconds + 3


@pytest.mark.parametrize("reason", ["out_of_stock", "unknown_product"])
def test_an_order_catalog_could_not_reserve_is_counted_cancelled_for_its_reason(committed, reason):
    order = order_in(OrderStatus.PENDING)
    before, durations = terminal("CANCELLED", reason), metric_value(SAGA_COUNT, status="CANCELLED")

    with committed():
        deliver(
            "stock.rejected", event_data("stock.rejected", order_id=str(order.id), reason=reason)
        )

    assert terminal("CANCELLED", reason) == before + 1
    assert metric_value(SAGA_COUNT, status="CANCELLED") == durations + 1


def test_a_declined_payment_and_the_saga_deadline_are_reasons_of_their_own(committed, settings):
    declined = order_in(OrderStatus.AWAITING_PAYMENT)
    order_in(OrderStatus.PENDING)
    before = terminal("CANCELLED", "payment_failed"), terminal("CANCELLED", "timeout")

    with committed():
        deliver("payment.failed", event_data("payment.failed", order_id=str(declined.id)))
        orders_expire_unpaid(
            now=timezone.now() + timedelta(seconds=settings.ORDER_SAGA_TIMEOUT_SECONDS + 1)
        )

    assert terminal("CANCELLED", "payment_failed") == before[0] + 1
    assert terminal("CANCELLED", "timeout") == before[1] + 1


def test_a_cancel_in_a_persons_own_words_is_counted_as_requested(committed):
    order = order_in(OrderStatus.PENDING)
    before = terminal("CANCELLED", "requested")

    with committed():
        order_cancel(order_id=order.id, reason="changed my mind, sorry", actor="someone")

    assert terminal("CANCELLED", "requested") == before + 1
    assert terminal("CANCELLED", "changed my mind, sorry") == 0


def test_a_refunded_order_is_counted_but_adds_no_saga_duration(committed):
    order = order_in(OrderStatus.REFUND_PENDING)
    before, durations = terminal("REFUNDED"), metric_value(SAGA_COUNT, status="REFUNDED")

    with committed():
        deliver("payment.refunded", event_data("payment.refunded", order_id=str(order.id)))

    assert terminal("REFUNDED") == before + 1
    assert metric_value(SAGA_COUNT, status="REFUNDED") == durations == 0


def test_a_cancel_rolled_back_is_not_counted(committed):
    order = order_in(OrderStatus.PENDING)
    before = terminal("CANCELLED", "requested")

    def cancelled_then_failed() -> None:
        with transaction.atomic():
            order_cancel(order_id=order.id, reason="changed my mind", actor="someone")
            raise RuntimeError("the request failed after the cancel")

    with committed(), pytest.raises(RuntimeError):
        cancelled_then_failed()

    assert terminal("CANCELLED", "requested") == before
