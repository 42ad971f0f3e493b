"""catalog as orders sees it, in tests: prices and identity's service token, on an HttpStub."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from pytest_django import Settings

from common.clients.catalog import PRICES_PATH, catalog
from common.clients.identity import SERVICE_TOKEN_PATH, identity
from common.testing.servers import Answer, HttpStub, StubRequest
from common.testing.tokens import TokenMinter


@dataclass
class CatalogStandIn:
    """catalog's price list, and identity's service-token endpoint, served by `stub`."""

    stub: HttpStub
    products: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(
        self,
        product_id: uuid.UUID | str,
        *,
        price: str = "10.00",
        currency: str = "EUR",
        is_active: bool = True,
        sku: str | None = None,
        name: str | None = None,
    ) -> None:
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
def catalog_stub(
    http_stub: HttpStub, settings: Settings, token_minter: TokenMinter
) -> Iterator[CatalogStandIn]:
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
