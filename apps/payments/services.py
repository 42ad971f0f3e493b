"""Payment commands: every change to a payment, and every provider call, goes through here.

A provider call is made while the payment's row is locked and its answer is recorded in the same
transaction. Two workers can therefore never call the provider for one payment at once, and if
recording fails after the provider acted, the retry repeats the call with the same idempotency
key and gets the same answer back instead of moving money twice.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.payments import metrics
from apps.payments.models import Payment, PaymentStatus
from apps.payments.providers import ProviderResult, ProviderUnavailable, provider_for
from common.celery import enqueue, enqueue_after_commit
from common.errors import ApplicationError
from common.events.outbox import publish

NO_PAYMENT_TO_REFUND = "No payment exists for this order yet; the refund waits for it."
NOTHING_TO_RETRY = "Only a charge still pending or a requested refund not yet done can be retried."
PROVIDER_UNAVAILABLE_REASON = "provider_unavailable"
# The names these tasks had before they were named here: messages already queued keep working.
PAYMENT_CHARGE_TASK = "apps.payments.tasks.payment_charge_task"
PAYMENT_REFUND_TASK = "apps.payments.tasks.payment_refund_task"

logger = structlog.get_logger(__name__)


@transaction.atomic
def payment_request(
    *,
    order_id: uuid.UUID,
    customer_id: uuid.UUID,
    amount: Decimal,
    currency: str,
    payment_method: str,
) -> Payment:
    """The payment of an order, created PENDING on the first request. Its charge is queued, and
    queued again by a later request while still PENDING, which revives a lost task."""
    payment, _ = Payment.objects.get_or_create(
        order_id=order_id,
        defaults={
            "customer_id": customer_id,
            "amount": amount,
            "currency": currency,
            "payment_method": payment_method,
            "provider": settings.PAYMENTS_PROVIDER,
        },
    )
    if payment.status == PaymentStatus.PENDING:
        enqueue_after_commit(PAYMENT_CHARGE_TASK, str(payment.id))
    return payment


def payment_charge(*, payment_id: uuid.UUID | str) -> Payment:
    """Charges a PENDING payment and announces the outcome; anything else is left alone.

    Raises ProviderUnavailable for the task to retry, after committing the attempt."""
    with transaction.atomic():
        payment = _locked(payment_id)
        if payment.status != PaymentStatus.PENDING:
            return payment
        payment.attempts += 1
        payment.save(update_fields=["attempts", "updated_at"])
        try:
            result = provider_for(payment.provider).charge(payment=payment)
        except ProviderUnavailable as error:
            metrics.payment_attempt_count(outcome=metrics.UNAVAILABLE)
            unavailable = error
        else:
            outcome = metrics.SUCCEEDED if result.succeeded else metrics.DECLINED
            metrics.payment_attempt_count(outcome=outcome)
            return _charge_settle(payment=payment, result=result)
    # Raised once the block has committed the attempt: the count must outlive the failure.
    raise unavailable


@transaction.atomic
def payment_charge_abandon(*, payment_id: uuid.UUID | str) -> Payment:
    """The provider stayed unavailable through every retry: the charge fails."""
    return _provider_given_up(payment_id, while_status=PaymentStatus.PENDING, settle=_charge_settle)


def _provider_given_up(
    payment_id: uuid.UUID | str, *, while_status: str, settle: Callable[..., Payment]
) -> Payment:
    """Settles the payment, locked, as declined for want of a provider while it is still in
    `while_status`; one settled meanwhile is left as it is."""
    payment = _locked(payment_id)
    if payment.status != while_status:
        return payment
    return settle(payment=payment, result=ProviderResult.declined(PROVIDER_UNAVAILABLE_REASON))


def _charge_settle(*, payment: Payment, result: ProviderResult) -> Payment:
    if result.succeeded:
        payment.status = PaymentStatus.SUCCEEDED
        payment.provider_reference = result.reference
        payment.save()
        publish("payment.succeeded", _money_data(payment))
        if payment.refund_requested_at is not None:
            enqueue_after_commit(PAYMENT_REFUND_TASK, str(payment.id))
    else:
        payment.status = PaymentStatus.FAILED
        payment.failure_reason = result.decline_reason
        payment.save()
        metrics.payment_failure_count(reason=result.decline_reason)
        publish(
            "payment.failed",
            {
                "order_id": str(payment.order_id),
                "payment_id": str(payment.id),
                "reason": result.decline_reason,
            },
        )
    return payment


@transaction.atomic
def payment_refund_request(*, order_id: uuid.UUID) -> Payment:
    """Records that orders wants the order's money back and queues the refund of a settled
    charge; a charge still PENDING is refunded as soon as it succeeds."""
    payment = Payment.objects.select_for_update().filter(order_id=order_id).first()
    if payment is None:
        # Raising lets the event be retried, then kept as a dead letter to replay.
        raise ApplicationError(NO_PAYMENT_TO_REFUND, status=404, code="payment_not_found")
    if payment.refund_requested_at is None:
        payment.refund_requested_at = timezone.now()
    if payment.status == PaymentStatus.SUCCEEDED:
        # Asking again after a failed refund is how it gets another try.
        payment.refund_failure_reason = ""
        enqueue_after_commit(PAYMENT_REFUND_TASK, str(payment.id))
    payment.save(update_fields=["refund_requested_at", "refund_failure_reason", "updated_at"])
    return payment


@transaction.atomic
def payment_refund(*, payment_id: uuid.UUID | str) -> Payment:
    """Refunds a SUCCEEDED payment whose refund was requested; raises ProviderUnavailable for the
    task to retry. Only SUCCEEDED is refunded, so no request refunds twice."""
    payment = _locked(payment_id)
    if payment.status != PaymentStatus.SUCCEEDED or payment.refund_requested_at is None:
        return payment
    result = provider_for(payment.provider).refund(payment=payment)
    return _refund_settle(payment=payment, result=result)


@transaction.atomic
def payment_refund_abandon(*, payment_id: uuid.UUID | str) -> Payment:
    """The provider stayed unavailable through every retry: the refund waits for an operator
    (or for orders to ask again)."""
    return _provider_given_up(
        payment_id, while_status=PaymentStatus.SUCCEEDED, settle=_refund_settle
    )


def _refund_settle(*, payment: Payment, result: ProviderResult) -> Payment:
    if result.succeeded:
        payment.status = PaymentStatus.REFUNDED
        payment.refunded_at = timezone.now()
        payment.refund_reference = result.reference
        payment.refund_failure_reason = ""
        payment.save()
        publish("payment.refunded", _money_data(payment))
        return payment
    # No event announces a failed refund: the order stays REFUND_PENDING for an operator, who
    # finds the payment by its refund failure in the admin.
    logger.error("payment_refund_failed", payment_id=str(payment.id), reason=result.decline_reason)
    payment.refund_failure_reason = result.decline_reason
    payment.save()
    return payment


def payment_resume_stalled(*, stalled_seconds: int | None = None) -> int:
    """Queues again the charges and refunds whose task was lost (the broker was down when their
    transaction committed, say), untouched for `stalled_seconds` (PAYMENT_STALLED_SECONDS by
    default); returns how many. A duplicate is harmless: see the module."""
    if stalled_seconds is None:
        stalled_seconds = settings.PAYMENT_STALLED_SECONDS
    cutoff = timezone.now() - timedelta(seconds=stalled_seconds)
    stalled = Payment.objects.filter(updated_at__lt=cutoff)
    charges = stalled.filter(status=PaymentStatus.PENDING)
    refunds = stalled.filter(
        status=PaymentStatus.SUCCEEDED,
        refund_requested_at__isnull=False,
        refund_failure_reason="",
    )
    return sum(
        enqueue(task_name, str(payment_id))
        for task_name, payments in ((PAYMENT_CHARGE_TASK, charges), (PAYMENT_REFUND_TASK, refunds))
        for payment_id in payments.values_list("id", flat=True)
    )


@transaction.atomic
def payment_retry(*, payment_id: uuid.UUID | str) -> Payment:
    """Queues again, now, the charge of a PENDING payment or the requested refund of a SUCCEEDED
    one (a refund the provider declined gets another try); 409 for anything else. The duplicate
    of a task still queued is harmless: see the module."""
    payment = _locked(payment_id)
    if payment.status == PaymentStatus.PENDING:
        enqueue_after_commit(PAYMENT_CHARGE_TASK, str(payment.id))
    elif payment.status == PaymentStatus.SUCCEEDED and payment.refund_requested_at is not None:
        payment.refund_failure_reason = ""
        payment.save(update_fields=["refund_failure_reason", "updated_at"])
        enqueue_after_commit(PAYMENT_REFUND_TASK, str(payment.id))
    else:
        raise ApplicationError(NOTHING_TO_RETRY, status=409, code="payment_not_retryable")
    return payment


def _locked(payment_id: uuid.UUID | str) -> Payment:
    return Payment.objects.select_for_update().get(id=payment_id)


def _money_data(payment: Payment) -> dict[str, str]:
    return {
        "order_id": str(payment.order_id),
        "payment_id": str(payment.id),
        "amount": f"{payment.amount:.2f}",
        "currency": payment.currency,
    }


def payment_resume_all(**signal_arguments: object) -> int:
    """The broker lost its messages (common.celery.broker_forgot): every charge and refund still
    to do may have lost its task."""
    return payment_resume_stalled(stalled_seconds=0)
