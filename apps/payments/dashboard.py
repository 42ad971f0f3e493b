"""The payments admin's dashboard: why charges failed, and the refunds made and still to make."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.payments.scopes import PAYMENT_READ_ANY
from apps.payments.selectors import (
    payment_failure_counts_by_reason,
    refunds_by_day,
    refunds_waiting,
)
from common.dashboards.charts import BarChart, ColumnChart, Panel, Table
from common.dashboards.periods import day_columns, last_days, start_of
from common.dashboards.registry import dashboards

FAILURE_DAYS = 7
REFUND_DAYS = 14


@dashboards.panel(read_scope=PAYMENT_READ_ANY)
def failures_by_reason() -> Panel:
    since = timezone.now() - timedelta(days=FAILURE_DAYS)
    return Panel(
        title="Payment failures by reason",
        note=f"Charges that failed in the last {FAILURE_DAYS} days, by the provider's reason.",
        chart=BarChart(
            title=f"Failed charges in the last {FAILURE_DAYS} days by reason",
            rows=tuple(
                (reason or "(none given)", count)
                for reason, count in payment_failure_counts_by_reason(since=since)
            ),
        ),
    )


@dashboards.panel(read_scope=PAYMENT_READ_ANY)
def refunds() -> Panel:
    days = last_days(REFUND_DAYS)
    made = refunds_by_day(since=start_of(days[0]))
    currencies = sorted({currency for _, currency, _, _ in made})
    totals = tuple(
        (
            currency,
            sum(count for _, each, count, _ in made if each == currency),
            sum((amount for _, each, _, amount in made if each == currency), Decimal("0.00")),
        )
        for currency in currencies
    )
    waiting = refunds_waiting()
    return Panel(
        title="Refunds",
        note=f"Refunds made on each of the last {REFUND_DAYS} days, by currency. Asked for and "
        f"not made yet: {waiting.count}, of which the provider refused {waiting.refused} on its "
        "last try.",
        chart=ColumnChart.of_counts(
            title=f"Refunds made per day over the last {REFUND_DAYS} days",
            columns=day_columns(days),
            series=[(currency, currency) for currency in currencies],
            counts={(day, currency): count for day, currency, count, _ in made},
        ),
        table=Table(
            headers=("Currency", "Refunds", "Amount"),
            rows=totals,
        ),
    )
