"""Payment reads."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from apps.payments.models import Payment, PaymentStatus
from apps.payments.scopes import PAYMENT_READ_ANY
from common.auth.permissions import owned_or_any
from common.auth.users import TokenUser


def payment_list(*, viewer: TokenUser) -> QuerySet[Payment]:
    """Every payment for a holder of `read_any`, otherwise the viewer's own."""
    return owned_or_any(Payment.objects.all(), viewer=viewer, any_scope=PAYMENT_READ_ANY)


def payment_failure_counts_by_reason(*, since: datetime) -> list[tuple[str, int]]:
    """Charges that failed since `since`, by the provider's reason, most frequent first."""
    return list(
        Payment.objects.filter(status=PaymentStatus.FAILED, updated_at__gte=since)
        .values_list("failure_reason")
        .annotate(count=Count("id"))
        .order_by("-count", "failure_reason")
    )


def refunds_by_day(*, since: datetime) -> list[tuple[date, str, int, Decimal]]:
    """Refunds made since `since`: (day in the current timezone, currency, count, amount)."""
    return list(
        Payment.objects.filter(refunded_at__gte=since)
        .annotate(day=TruncDate("refunded_at"))
        .values_list("day", "currency")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("day", "currency")
    )


@dataclass(frozen=True)
class RefundsWaiting:
    """Refunds orders asked for that are not made yet; `refused` the provider last refused."""

    count: int
    refused: int


def refunds_waiting() -> RefundsWaiting:
    return RefundsWaiting(
        **Payment.objects.filter(
            refund_requested_at__isnull=False, refunded_at__isnull=True
        ).aggregate(count=Count("id"), refused=Count("id", filter=~Q(refund_failure_reason="")))
    )
