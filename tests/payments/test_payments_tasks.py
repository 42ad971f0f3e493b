"""payments' tasks: the retry policy comes from settings, and the sweep picks up lost work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.payments.models import Payment, PaymentStatus
from apps.payments.providers import ProviderUnavailable
from apps.payments.tasks import (
    payment_charge_task,
    payment_refund_task,
    payment_resume_stalled_task,
)
from common.events.models import DeadLetter, InboxEntry
from common.testing.celery import broker_unreachable
from common.testing.events import deliver, published
from tests.payments.factories import PaymentFactory
from tests.payments.test_payments_handlers import payment_requested

pytestmark = pytest.mark.django_db


def test_provider_calls_ack_late_and_retry_as_often_and_as_long_as_configured(settings):
    settings.PAYMENT_MAX_RETRIES = 7
    settings.TASK_COUNTDOWN_MAXIMUM_SECONDS = 12

    for task in (payment_charge_task, payment_refund_task):
        assert task.acks_late
        assert task.autoretry_for == (ProviderUnavailable,)
        assert task.max_retries == 7
        assert task.retry_backoff_max == 12


def test_a_charge_task_for_a_settled_payment_calls_no_provider():
    payment = PaymentFactory(status=PaymentStatus.FAILED, failure_reason="card_declined")

    payment_charge_task.delay(str(payment.id))

    payment.refresh_from_db()
    assert payment.attempts == 0
    assert published() == []


def stalled(**fields) -> Payment:
    payment = PaymentFactory(**fields)
    Payment.objects.filter(id=payment.id).update(updated_at=timezone.now() - timedelta(hours=1))
    return payment


def test_the_sweep_charges_a_payment_whose_task_was_lost():
    lost = stalled()
    recent = PaymentFactory()

    resumed = payment_resume_stalled_task.delay().get()

    lost.refresh_from_db()
    recent.refresh_from_db()
    assert resumed == 1
    assert lost.status == PaymentStatus.SUCCEEDED
    assert recent.status == PaymentStatus.PENDING


def test_the_sweep_refunds_a_requested_refund_whose_task_was_lost():
    charged = PaymentFactory()
    payment_charge_task.delay(str(charged.id))
    Payment.objects.filter(id=charged.id).update(
        refund_requested_at=timezone.now(), updated_at=timezone.now() - timedelta(hours=1)
    )
    stalled(
        status=PaymentStatus.SUCCEEDED,
        refund_requested_at=timezone.now(),
        refund_failure_reason="provider_unavailable",
    )
    stalled(status=PaymentStatus.FAILED)

    resumed = payment_resume_stalled_task.delay().get()

    charged.refresh_from_db()
    assert resumed == 1
    assert charged.status == PaymentStatus.REFUNDED
    assert len(published("payment.refunded")) == 1


def test_a_charge_requested_while_the_broker_is_down_is_handled_and_the_sweep_charges_it(
    run_on_commit,
):
    request = payment_requested("pm_card_ok")

    with broker_unreachable(), run_on_commit():
        deliver("order.payment_requested", request)
    payment = Payment.objects.get()
    assert (payment.status, payment.attempts) == (PaymentStatus.PENDING, 0)
    assert InboxEntry.objects.count() == 1
    assert not DeadLetter.objects.exists()

    Payment.objects.filter(id=payment.id).update(updated_at=timezone.now() - timedelta(hours=1))
    resumed = payment_resume_stalled_task.delay().get()

    payment.refresh_from_db()
    assert resumed == 1
    assert payment.status == PaymentStatus.SUCCEEDED
