"""The built-in sandbox provider: the payment-method token decides the outcome.

With PAYMENTS_SANDBOX_URL set, the sandbox also stands for a provider across the network: each
call it has not answered yet is first POSTed there, and no answer within
PAYMENTS_PROVIDER_TIMEOUT_SECONDS, or a 5xx, is the provider unavailable (a fault test points it
at a stub that stalls; a demo at anything that answers).
"""

import secrets

import requests
from django.conf import settings

from apps.payments.models import Payment, SandboxOperation
from apps.payments.providers.base import ProviderResult, ProviderUnavailable, idempotency_key

CARD_OK = "pm_card_ok"
CARD_DECLINED = "pm_card_declined"
CARD_FLAKY = "pm_card_flaky"
# The flaky card's first attempts fail transiently; counted on the payment, so the behaviour
# is the same whichever worker makes the attempt and across restarts.
FLAKY_FAILED_ATTEMPTS = 2

CARD_DECLINED_REASON = "card_declined"
UNKNOWN_PAYMENT_METHOD_REASON = "unknown_payment_method"
NO_CHARGE_TO_REFUND_REASON = "no_charge_to_refund"


class SandboxProvider:
    name = "sandbox"

    def charge(self, *, payment: Payment) -> ProviderResult:
        if known := self._answered(SandboxOperation.Kind.CHARGE, payment):
            return known
        self._reach(SandboxOperation.Kind.CHARGE, payment)
        token = payment.payment_method
        if token == CARD_FLAKY and payment.attempts <= FLAKY_FAILED_ATTEMPTS:
            raise ProviderUnavailable(f"sandbox: flaky card, attempt {payment.attempts}")
        if token in (CARD_OK, CARD_FLAKY):
            result = ProviderResult.done(f"sandbox_ch_{secrets.token_hex(12)}")
        elif token == CARD_DECLINED:
            result = ProviderResult.declined(CARD_DECLINED_REASON)
        else:
            result = ProviderResult.declined(UNKNOWN_PAYMENT_METHOD_REASON)
        return self._record(SandboxOperation.Kind.CHARGE, payment, result)

    def refund(self, *, payment: Payment) -> ProviderResult:
        if known := self._answered(SandboxOperation.Kind.REFUND, payment):
            return known
        self._reach(SandboxOperation.Kind.REFUND, payment)
        charged = SandboxOperation.objects.filter(
            kind=SandboxOperation.Kind.CHARGE,
            idempotency_key=idempotency_key(payment),
            succeeded=True,
        ).exists()
        if charged:
            result = ProviderResult.done(f"sandbox_re_{secrets.token_hex(12)}")
        else:
            result = ProviderResult.declined(NO_CHARGE_TO_REFUND_REASON)
        return self._record(SandboxOperation.Kind.REFUND, payment, result)

    def _reach(self, kind: str, payment: Payment) -> None:
        """The round trip to PAYMENTS_SANDBOX_URL, when set; raises ProviderUnavailable without
        an answer in time (the call carries its idempotency key, so repeating it is safe)."""
        if not settings.PAYMENTS_SANDBOX_URL:
            return
        try:
            response = requests.post(
                settings.PAYMENTS_SANDBOX_URL,
                json={"operation": kind, "idempotency_key": idempotency_key(payment)},
                timeout=settings.PAYMENTS_PROVIDER_TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            raise ProviderUnavailable(f"sandbox: {type(error).__name__}") from error
        if response.status_code >= 500:
            raise ProviderUnavailable(f"sandbox: answered {response.status_code}")

    def _answered(self, kind: str, payment: Payment) -> ProviderResult | None:
        """The answer already given for this key, as a real provider replays it."""
        operation = SandboxOperation.objects.filter(
            kind=kind, idempotency_key=idempotency_key(payment)
        ).first()
        if operation is None:
            return None
        return ProviderResult(
            succeeded=operation.succeeded,
            reference=operation.reference,
            decline_reason=operation.decline_reason,
        )

    def _record(self, kind: str, payment: Payment, result: ProviderResult) -> ProviderResult:
        SandboxOperation.objects.create(
            kind=kind,
            idempotency_key=idempotency_key(payment),
            succeeded=result.succeeded,
            reference=result.reference,
            decline_reason=result.decline_reason,
            amount=payment.amount,
            currency=payment.currency,
        )
        return result
