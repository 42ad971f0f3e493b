"""The sandbox provider: the payment-method token decides, and an idempotency key is answered
once, however often it is sent."""

import pytest

from apps.payments.models import SandboxOperation
from apps.payments.providers import PROVIDERS, ProviderUnavailable, provider_for
from apps.payments.providers.sandbox import FLAKY_FAILED_ATTEMPTS, SandboxProvider
from tests.payments.factories import PaymentFactory

pytestmark = pytest.mark.django_db

sandbox = SandboxProvider()


def test_the_configured_provider_is_a_known_adapter(settings):
    assert settings.PAYMENTS_PROVIDER in PROVIDERS
    assert isinstance(provider_for("sandbox"), SandboxProvider)


def test_an_ok_card_is_charged_with_a_reference():
    result = sandbox.charge(payment=PaymentFactory(payment_method="pm_card_ok", attempts=1))

    assert result.succeeded
    assert result.reference.startswith("sandbox_ch_")
    assert result.decline_reason == ""


@pytest.mark.parametrize(
    ("token", "reason"),
    [("pm_card_declined", "card_declined"), ("pm_card_stolen", "unknown_payment_method")],
)
def test_a_declined_or_unknown_card_is_declined_with_its_reason(token, reason):
    result = sandbox.charge(payment=PaymentFactory(payment_method=token, attempts=1))

    assert not result.succeeded
    assert result.decline_reason == reason


def test_a_flaky_card_is_unavailable_for_its_first_attempts_then_charged():
    payment = PaymentFactory(payment_method="pm_card_flaky")

    for attempt in range(1, FLAKY_FAILED_ATTEMPTS + 1):
        payment.attempts = attempt
        with pytest.raises(ProviderUnavailable):
            sandbox.charge(payment=payment)
    payment.attempts = FLAKY_FAILED_ATTEMPTS + 1

    assert sandbox.charge(payment=payment).succeeded


def test_a_repeated_charge_gets_the_first_answer_and_charges_once():
    payment = PaymentFactory(payment_method="pm_card_ok", attempts=1)

    first = sandbox.charge(payment=payment)
    payment.attempts = 2
    second = sandbox.charge(payment=payment)

    assert second == first
    assert (
        SandboxOperation.objects.filter(kind="charge", idempotency_key=str(payment.id)).count() == 1
    )


def test_a_repeated_decline_is_replayed_too():
    payment = PaymentFactory(payment_method="pm_card_declined", attempts=1)

    assert sandbox.charge(payment=payment) == sandbox.charge(payment=payment)
    assert SandboxOperation.objects.count() == 1


def test_a_charged_payment_is_refunded_once_per_key():
    payment = PaymentFactory(payment_method="pm_card_ok", attempts=1)
    sandbox.charge(payment=payment)

    first = sandbox.refund(payment=payment)
    second = sandbox.refund(payment=payment)

    assert first.succeeded
    assert first.reference.startswith("sandbox_re_")
    assert second == first
    assert SandboxOperation.objects.filter(kind="refund").count() == 1


def test_a_refund_without_a_charge_is_declined():
    payment = PaymentFactory(payment_method="pm_card_declined", attempts=1)
    sandbox.charge(payment=payment)

    result = sandbox.refund(payment=payment)

    assert not result.succeeded
    assert result.decline_reason == "no_charge_to_refund"


def test_a_sandbox_url_that_does_not_answer_in_time_makes_the_provider_unavailable(
    settings, http_stub
):
    settings.PAYMENTS_SANDBOX_URL = http_stub.url("/provider")
    settings.PAYMENTS_PROVIDER_TIMEOUT_SECONDS = 1
    http_stub.on("POST", "/provider", (204, None))
    http_stub.delay = 1.5
    payment = PaymentFactory(payment_method="pm_card_ok", attempts=1)

    with pytest.raises(ProviderUnavailable, match="Timeout"):
        sandbox.charge(payment=payment)

    assert not SandboxOperation.objects.exists()
    assert http_stub.received("/provider")[0].json() == {
        "operation": "charge",
        "idempotency_key": str(payment.id),
    }


def test_a_sandbox_url_that_answers_lets_the_card_decide(settings, http_stub):
    settings.PAYMENTS_SANDBOX_URL = http_stub.url("/provider")
    http_stub.on("POST", "/provider", (204, None))

    result = sandbox.charge(payment=PaymentFactory(payment_method="pm_card_ok", attempts=1))

    assert result.succeeded
    assert len(http_stub.received("/provider")) == 1
