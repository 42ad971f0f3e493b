"""Celery tasks of payments: provider calls retried with backoff, then given up on."""

from typing import Protocol

from celery import Task, shared_task
from django.conf import settings

from apps.payments import services
from apps.payments.models import Payment
from apps.payments.providers import ProviderUnavailable
from common.celery import sweep_reported


class PaymentStep(Protocol):
    def __call__(self, *, payment_id: str) -> Payment: ...


class ProviderCallTask(Task):
    """Retries ProviderUnavailable with exponential backoff, at most
    `TASK_COUNTDOWN_MAXIMUM_SECONDS`, and full jitter, up to `PAYMENT_MAX_RETRIES` (both read from
    the loaded settings, not at import); acks late so a killed worker's call is made again, which
    the idempotency key makes safe."""

    acks_late = True
    autoretry_for = (ProviderUnavailable,)
    retry_backoff = True
    retry_jitter = True

    # Celery only reads these, so properties may stand for the plain attributes.
    @property
    def max_retries(self) -> int:  # type: ignore[override]
        return settings.PAYMENT_MAX_RETRIES

    @property
    def retry_backoff_max(self) -> int:
        return settings.TASK_COUNTDOWN_MAXIMUM_SECONDS

    def call_or_abandon(self, call: PaymentStep, abandon: PaymentStep, *, payment_id: str) -> None:
        """Makes the provider `call`; when the last retry finds the provider unavailable too,
        `abandon`s it instead of raising."""
        try:
            call(payment_id=payment_id)
        except ProviderUnavailable:
            if self.request.retries < self.max_retries:
                raise
            abandon(payment_id=payment_id)


@shared_task(name=services.PAYMENT_CHARGE_TASK, base=ProviderCallTask, bind=True)
def payment_charge_task(self: ProviderCallTask, payment_id: str) -> None:
    self.call_or_abandon(
        services.payment_charge, services.payment_charge_abandon, payment_id=payment_id
    )


@shared_task(name=services.PAYMENT_REFUND_TASK, base=ProviderCallTask, bind=True)
def payment_refund_task(self: ProviderCallTask, payment_id: str) -> None:
    self.call_or_abandon(
        services.payment_refund, services.payment_refund_abandon, payment_id=payment_id
    )


@shared_task(ignore_result=True)
def payment_resume_stalled_task() -> int:
    return sweep_reported("payments_resume_stalled", services.payment_resume_stalled())
