"""The orders admin's dashboard: orders placed per hour by status, and why orders were cancelled."""

from datetime import timedelta

from django.utils import timezone

from apps.orders.models import OrderStatus
from apps.orders.scopes import ORDER_READ_ANY
from apps.orders.selectors import cancellation_counts_by_reason, order_counts_by_hour_and_status
from common.dashboards.charts import BarChart, ColumnChart, Panel
from common.dashboards.periods import hour_columns, last_hours
from common.dashboards.registry import dashboards

HOURS = 24
CANCELLATION_DAYS = 7
MOST_REASONS = 8
# Settled first, then those still moving, then those that went wrong or back.
STATUS_SERIES = [
    (status, str(status.label))
    for status in (
        OrderStatus.CONFIRMED,
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PENDING,
        OrderStatus.CANCELLED,
        OrderStatus.REFUND_PENDING,
        OrderStatus.REFUNDED,
    )
]


@dashboards.panel(read_scope=ORDER_READ_ANY)
def orders_per_hour() -> Panel:
    hours = last_hours(HOURS)
    return Panel(
        title="Orders per hour",
        note=f"Orders placed in each of the last {HOURS} hours, by the status they are in now.",
        chart=ColumnChart.of_counts(
            title=f"Orders placed per hour over the last {HOURS} hours, by status",
            columns=hour_columns(hours),
            series=STATUS_SERIES,
            counts=order_counts_by_hour_and_status(since=hours[0]),
        ),
    )


@dashboards.panel(read_scope=ORDER_READ_ANY)
def cancellations_by_reason() -> Panel:
    since = timezone.now() - timedelta(days=CANCELLATION_DAYS)
    reasons = cancellation_counts_by_reason(since=since, limit=MOST_REASONS)
    return Panel(
        title="Cancellations by reason",
        note=f"Orders cancelled in the last {CANCELLATION_DAYS} days: the {MOST_REASONS} most "
        "frequent reasons.",
        chart=BarChart(
            title=f"Cancellations in the last {CANCELLATION_DAYS} days by reason",
            rows=tuple((reason or "(none given)", count) for reason, count in reasons),
        ),
    )
