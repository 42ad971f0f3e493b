"""Payment providers behind one adapter interface; `PAYMENTS_PROVIDER` picks new payments' one."""

from apps.payments.providers.base import (
    PaymentProvider,
    ProviderResult,
    ProviderUnavailable,
    idempotency_key,
)
from apps.payments.providers.sandbox import SandboxProvider

PROVIDERS: dict[str, type[PaymentProvider]] = {SandboxProvider.name: SandboxProvider}

__all__ = [
    "PROVIDERS",
    "PaymentProvider",
    "ProviderResult",
    "ProviderUnavailable",
    "idempotency_key",
    "provider_for",
]


def provider_for(name: str) -> PaymentProvider:
    """The adapter a payment was made with: its refund goes where its charge went."""
    return PROVIDERS[name]()
