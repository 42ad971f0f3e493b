"""orders' dashboard: orders per hour by status and cancellations by reason, counted in SQL,
shown on the admin index to operators who read every order, at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.orders.models import Order, OrderStatus
from apps.orders.selectors import cancellation_counts_by_reason, order_counts_by_hour_and_status
from common.dashboards.periods import last_hours
from common.testing.admin import admin_index, dashboard_with_more_rows
from tests.orders.conftest import order_in

pytestmark = pytest.mark.django_db

# One per panel: orders per hour, cancellations; beyond what the admin's index costs without them.
PANEL_QUERIES = 2


def placed_hours_ago(order: Order, hours: int) -> None:
    Order.objects.filter(id=order.id).update(created_at=timezone.now() - timedelta(hours=hours))


def test_orders_are_counted_by_the_hour_they_were_placed_and_their_status_now():
    placed = [order_in(OrderStatus.CONFIRMED), order_in(OrderStatus.CONFIRMED)]
    placed.append(order_in(OrderStatus.CANCELLED))
    placed_hours_ago(placed[0], 2)
    placed_hours_ago(order_in(OrderStatus.PENDING), 30)
    hours = last_hours(24)

    counts = order_counts_by_hour_and_status(since=hours[0])

    assert counts == {
        (hours[-3], OrderStatus.CONFIRMED): 1,
        (hours[-1], OrderStatus.CONFIRMED): 1,
        (hours[-1], OrderStatus.CANCELLED): 1,
    }


def test_cancellations_are_counted_by_reason_most_frequent_first():
    for reason in ("out_of_stock", "payment_failed", "out_of_stock"):
        order_in(OrderStatus.PENDING).transition(
            OrderStatus.CANCELLED, reason=reason, actor="tests"
        )

    reasons = cancellation_counts_by_reason(since=timezone.now() - timedelta(days=1), limit=8)

    assert reasons == [("out_of_stock", 2), ("payment_failed", 1)]


def test_the_index_shows_both_panels_at_the_same_number_of_queries_for_more_orders(
    operator_client,
):
    order_in(OrderStatus.PENDING).transition(OrderStatus.CANCELLED, reason="timeout", actor="x")

    def more_rows() -> None:
        for _ in range(20):
            order_in(OrderStatus.CONFIRMED)
            order_in(OrderStatus.PENDING).transition(
                OrderStatus.CANCELLED, reason="payment_failed", actor="tests"
            )

    page = dashboard_with_more_rows(
        operator_client, "orders.order.read_any", more_rows=more_rows, panel_queries=PANEL_QUERIES
    )

    assert "Orders per hour" in page
    assert "Cancellations by reason" in page
    assert "<title>payment_failed: 20</title>" in page
    assert "Confirmed: 20" in page


def test_the_panels_are_hidden_from_an_operator_who_cannot_read_every_order(operator_client):
    client = operator_client("orders.admin.access", "orders.order.export")

    _, page = admin_index(client)

    assert "Orders per hour" not in page
    assert 'class="dashboard-panels"' not in page
