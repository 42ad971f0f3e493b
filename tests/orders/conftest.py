"""orders suites: a stand-in catalog, customers' tokens, and orders built at any saga step."""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from apps.orders.models import Order, OrderLine, OrderStatus, OrderStatusChange
from common.clients.catalog import PRICES_PATH, catalog
from common.clients.identity import SERVICE_TOKEN_PATH, identity
from common.testing.servers import Answer, HttpStub, StubRequest

ORDERS_URL = "/orders/api/v1/orders/"
CUSTOMER_SCOPES = ("orders.order.create", "orders.order.read", "orders.order.cancel")
SUPPORT_SCOPES = ("orders.order.read_any", "orders.order.cancel_any")
FINANCE_SCOPES = ("orders.order.read_any", "orders.order.refund", "orders.order.export")


def detail_url(order_id) -> str:
    return f"{ORDERS_URL}{order_id}/"


@dataclass
class CatalogStandIn:
    """catalog's price list, and identity's service-token endpoint, served by `stub`."""

    stub: HttpStub
    products: dict[str, dict] = field(default_factory=dict)

    def add(
        self, product_id, *, price="10.00", currency="EUR", is_active=True, sku=None, name=None
    ):
        self.products[str(product_id)] = {
            "product_id": str(product_id),
            "sku": sku or f"SKU-{str(product_id)[:8]}",
            "name": name or f"Product {str(product_id)[:8]}",
            "price": str(Decimal(price)),
            "currency": currency,
            "is_active": is_active,
        }

    def prices(self, request: StubRequest) -> Answer:
        ids = request.query.get("ids", [""])[0].split(",")
        return 200, {"results": [self.products[each] for each in ids if each in self.products]}

    def fail(self, *statuses: int) -> None:
        """Answers the next price requests with `statuses`, then with prices again."""
        failures = [(status, {"detail": "scripted failure"}) for status in statuses]
        self.stub.on("GET", PRICES_PATH, *failures, self.prices)

    def price_requests(self) -> list[StubRequest]:
        return self.stub.received(PRICES_PATH)


@pytest.fixture
def catalog_stub(http_stub, settings, token_minter) -> CatalogStandIn:
    """A catalog stand-in that CATALOG_URL and IDENTITY_URL point at; breakers start closed."""
    token = token_minter.token(subject="service:orders", scopes=["catalog.price.read_internal"])
    stand_in = CatalogStandIn(http_stub)
    http_stub.on("POST", SERVICE_TOKEN_PATH, (200, {"access": token}))
    http_stub.on("GET", PRICES_PATH, stand_in.prices)
    settings.CATALOG_URL = settings.IDENTITY_URL = http_stub.url()
    catalog.breaker.close()
    identity.breaker.close()
    yield stand_in
    catalog.breaker.close()
    identity.breaker.close()


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
) -> Order:
    """An order that has reached `status`, with `lines` lines of 2 x 10.00 EUR each."""
    order = Order.objects.create(
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
