"""Payments' metrics: every charge tried at the provider by outcome, and the charges that failed
by reason."""

import pytest

from apps.payments.providers import ProviderUnavailable
from apps.payments.services import payment_charge, payment_charge_abandon
from common.testing.metrics import metric_value
from tests.payments.factories import PaymentFactory

pytestmark = pytest.mark.django_db
ATTEMPTS = "mercato_payment_attempts_total"
FAILURES = "mercato_payment_failures_total"


def test_a_charge_that_succeeds_is_an_attempt_and_no_failure(committed):
    before = metric_value(ATTEMPTS, outcome="succeeded")

    with committed():
        payment_charge(payment_id=PaymentFactory(payment_method="pm_card_ok").id)

    assert metric_value(ATTEMPTS, outcome="succeeded") == before + 1


def test_a_declined_charge_is_an_attempt_and_a_failure_for_its_reason(committed):
    attempts, failures = (
        metric_value(ATTEMPTS, outcome="declined"),
        metric_value(FAILURES, reason="card_declined"),
    )

    with committed():
        payment_charge(payment_id=PaymentFactory(payment_method="pm_card_declined").id)

    assert metric_value(ATTEMPTS, outcome="declined") == attempts + 1
    assert metric_value(FAILURES, reason="card_declined") == failures + 1


def test_a_provider_that_does_not_answer_is_an_attempt_and_then_a_failure_once_given_up(
    committed,
):
    payment = PaymentFactory(payment_method="pm_card_flaky")
    attempts = metric_value(ATTEMPTS, outcome="unavailable")
    failures = metric_value(FAILURES, reason="provider_unavailable")

    with committed(), pytest.raises(ProviderUnavailable):
        payment_charge(payment_id=payment.id)
    assert metric_value(ATTEMPTS, outcome="unavailable") == attempts + 1
    assert metric_value(FAILURES, reason="provider_unavailable") == failures

    with committed():
        payment_charge_abandon(payment_id=payment.id)
    assert metric_value(FAILURES, reason="provider_unavailable") == failures + 1
