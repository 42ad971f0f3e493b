"""orders suites: customers' tokens, and orders built at any saga step (the stand-in catalog,
`catalog_stub`, is common/testing/catalog.py's)."""

import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest

from apps.orders.models import Order, OrderLine, OrderStatus, OrderStatusChange

ORDERS_URL = "/orders/api/v1/orders/"
CUSTOMER_SCOPES = ("orders.order.create", "orders.order.read", "orders.order.cancel")
SUPPORT_SCOPES = ("orders.order.read_any", "orders.order.cancel_any")
FINANCE_SCOPES = ("orders.order.read_any", "orders.order.refund", "orders.order.export")


def detail_url(order_id) -> str:
    return f"{ORDERS_URL}{order_id}/"


@dataclass
class Caller:
    id: str
    headers: dict[str, str]


@pytest.fixture
def caller(token_minter):
    """`caller(*scopes)`: a new person holding `scopes`, with the headers that send their token."""

    def make(*scopes: str, subject: str | None = None) -> Caller:
        subject = subject or str(uuid.uuid4())
        return Caller(subject, token_minter.authorization(subject=subject, scopes=scopes))

    return make


@pytest.fixture
def customer(caller) -> Caller:
    return caller(*CUSTOMER_SCOPES)


def order_in(
    status: str = OrderStatus.PENDING,
    *,
    customer_id=None,
    lines: int = 1,
    payment_method: str = "pm_card_ok",
    order_id=None,
) -> Order:
    """An order that has reached `status`, with `lines` lines of 2 x 10.00 EUR each."""
    order = Order.objects.create(
        id=order_id or uuid.uuid4(),
        customer_id=customer_id or uuid.uuid4(),
        status=status,
        currency="EUR",
        total=Decimal("20.00") * lines,
        payment_method=payment_method,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product_id=uuid.uuid4(),
            sku=f"SKU-{number}",
            name=f"Product {number}",
            unit_price=Decimal("10.00"),
            quantity=2,
        )
        for number in range(lines)
    )
    OrderStatusChange.objects.create(order=order, to_status=status, reason="test", actor="tests")
    return order
