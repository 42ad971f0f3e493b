"""The ownership matrix of payments: every default role and anonymous callers against another
customer's payment, read alone, fished for through the list's query string, or retried."""

from common.testing.ownership import Access, Listing
from tests.payments.factories import PaymentFactory

SERVICE = "payments"
API = f"{SERVICE}/api/v1/"
READERS_OF_EVERY_PAYMENT = frozenset({"support", "finance", "admin"})
RETRIERS = frozenset({"finance", "admin"})


def payment(owner: str):
    return PaymentFactory(customer_id=owner)


ACCESSES = (
    Access(
        f"{API}payments/<uuid:payment_id>/",
        "get",
        payment,
        allowed=READERS_OF_EVERY_PAYMENT,
        hidden=frozenset({"customer"}),
    ),
    Access(f"{API}payments/<uuid:payment_id>/retry/", "post", payment, allowed=RETRIERS),
)
LISTINGS = (
    Listing(
        f"{API}payments/",
        payment,
        everyone=READERS_OF_EVERY_PAYMENT,
        own=frozenset({"customer"}),
    ),
)
