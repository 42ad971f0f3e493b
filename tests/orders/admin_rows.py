"""Orders' rows for the admin list-page tests (test_admin_list_pages.py)."""

from decimal import Decimal

from apps.orders.models import Order, OrderExport, OrderStatus
from common.jobs import JobStatus
from tests.every_service.admin_rows import SHARED_ROWS, local_operator_rows, people


def orders(count: int) -> None:
    Order.objects.bulk_create(
        Order(
            customer_id=person.user_id,
            status=OrderStatus.CONFIRMED,
            currency="EUR",
            total=Decimal("20.00"),
            payment_method="pm_card_ok",
        )
        for person in people(count)
    )


def exports(count: int) -> None:
    OrderExport.objects.bulk_create(
        OrderExport(requested_by=str(person.user_id), status=JobStatus.SUCCEEDED, row_count=1)
        for person in people(count)
    )


ROWS = {**SHARED_ROWS, **local_operator_rows(), Order: orders, OrderExport: exports}
LARGE = (Order,)
