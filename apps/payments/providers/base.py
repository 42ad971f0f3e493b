"""The adapter interface every payment provider implements."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from apps.payments.models import Payment


class ProviderUnavailable(Exception):
    """A transient failure (timeout, outage): the same call may succeed later.

    An adapter raises it only when the provider did not act on the call, or when repeating the
    call with the same idempotency key is safe: callers retry it and finally give up."""


@dataclass(frozen=True)
class ProviderResult:
    """The provider's final answer: done (with its reference) or declined (with a reason)."""

    succeeded: bool
    reference: str = ""
    decline_reason: str = ""

    @classmethod
    def done(cls, reference: str) -> "ProviderResult":
        return cls(succeeded=True, reference=reference)

    @classmethod
    def declined(cls, reason: str) -> "ProviderResult":
        return cls(succeeded=False, decline_reason=reason)


class PaymentProvider(Protocol):
    """Charges and refunds a payment's whole amount; every call carries
    `idempotency_key(payment)`, so repeating a call never moves money twice."""

    name: str

    def charge(self, *, payment: "Payment") -> ProviderResult: ...

    def refund(self, *, payment: "Payment") -> ProviderResult: ...


def idempotency_key(payment: "Payment") -> str:
    return str(payment.id)
