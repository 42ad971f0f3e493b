"""payments' dashboard: failures by reason and refunds per day, counted in SQL, shown on the
admin index to operators who read every payment, at a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.payments.models import Payment, PaymentStatus
from apps.payments.selectors import (
    RefundsWaiting,
    payment_failure_counts_by_reason,
    refunds_by_day,
    refunds_waiting,
)
from common.testing.admin import admin_index, dashboard_with_more_rows
from tests.payments.factories import PaymentFactory

pytestmark = pytest.mark.django_db

# Failures one query; refunds one per day and currency, one for those waiting.
PANEL_QUERIES = 3


def failed(reason: str) -> Payment:
    return PaymentFactory(status=PaymentStatus.FAILED, failure_reason=reason)


def refunded(*, days_ago: int, amount: str = "12.50", currency: str = "EUR") -> Payment:
    return PaymentFactory(
        status=PaymentStatus.REFUNDED,
        amount=Decimal(amount),
        currency=currency,
        refund_requested_at=timezone.now() - timedelta(days=days_ago),
        refunded_at=timezone.now() - timedelta(days=days_ago),
    )


def test_failures_are_counted_by_reason_most_frequent_first():
    failed("card_declined")
    failed("provider_unavailable")
    failed("card_declined")
    PaymentFactory(status=PaymentStatus.SUCCEEDED)

    reasons = payment_failure_counts_by_reason(since=timezone.now() - timedelta(days=1))

    assert reasons == [("card_declined", 2), ("provider_unavailable", 1)]


def test_refunds_are_counted_and_added_up_by_day_and_currency():
    refunded(days_ago=0, amount="10.00")
    refunded(days_ago=0, amount="2.50")
    refunded(days_ago=0, amount="7.00", currency="USD")
    refunded(days_ago=20)
    today = timezone.localdate()

    made = refunds_by_day(since=timezone.now() - timedelta(days=1))

    assert made == [(today, "EUR", 2, Decimal("12.50")), (today, "USD", 1, Decimal("7.00"))]


def test_refunds_asked_for_and_not_made_are_counted_with_those_the_provider_refused():
    asked = timezone.now()
    PaymentFactory(status=PaymentStatus.SUCCEEDED, refund_requested_at=asked)
    PaymentFactory(
        status=PaymentStatus.SUCCEEDED, refund_requested_at=asked, refund_failure_reason="declined"
    )
    refunded(days_ago=1)

    assert refunds_waiting() == RefundsWaiting(count=2, refused=1)


def test_the_index_shows_both_panels_at_the_same_number_of_queries_for_more_payments(
    operator_client,
):
    refunded(days_ago=0)

    def more_rows() -> None:
        for days_ago in range(12):
            refunded(days_ago=days_ago, currency="USD")
            failed("card_declined")

    page = dashboard_with_more_rows(
        operator_client,
        "payments.payment.read_any",
        more_rows=more_rows,
        panel_queries=PANEL_QUERIES,
    )

    assert "Payment failures by reason" in page
    assert "Refunds" in page
    assert "<title>card_declined: 12</title>" in page
    assert "<td>USD</td><td>12</td><td>150.00</td>" in page


def test_the_panels_are_hidden_from_an_operator_who_cannot_read_every_payment(operator_client):
    client = operator_client("payments.admin.access")

    _, page = admin_index(client)

    assert "Payment failures by reason" not in page
    assert 'class="dashboard-panels"' not in page
