"""Payments' rows for the admin list-page tests (test_admin_list_pages.py)."""

import uuid
from decimal import Decimal

from apps.payments.models import Payment, PaymentStatus, SandboxOperation
from tests.every_service.admin_rows import SHARED_ROWS, local_operator_rows, people


def payments(count: int) -> None:
    Payment.objects.bulk_create(
        Payment(
            order_id=uuid.uuid4(),
            customer_id=person.user_id,
            amount=Decimal("12.50"),
            currency="EUR",
            payment_method="pm_card_ok",
            status=PaymentStatus.SUCCEEDED,
        )
        for person in people(count)
    )


def sandbox_operations(count: int) -> None:
    SandboxOperation.objects.bulk_create(
        SandboxOperation(
            kind=SandboxOperation.Kind.CHARGE,
            idempotency_key=str(uuid.uuid4()),
            succeeded=True,
            amount=Decimal("12.50"),
            currency="EUR",
        )
        for _ in range(count)
    )


ROWS = {
    **SHARED_ROWS,
    **local_operator_rows(),
    Payment: payments,
    SandboxOperation: sandbox_operations,
}
LARGE = (Payment,)
