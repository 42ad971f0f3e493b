"""Calls to catalog: the current prices of products, read with this service's own token."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from common.clients.http import ServiceClient, ServiceUnavailable
from common.clients.identity import IdentityRefused, service_token

PRICES_PATH = "/catalog/api/v1/internal/prices/"

catalog = ServiceClient(service="catalog", url_setting="CATALOG_URL")


@dataclass(frozen=True)
class ProductPrice:
    product_id: uuid.UUID
    sku: str
    name: str
    price: Decimal
    currency: str
    is_active: bool


def product_prices(*, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ProductPrice]:
    """The price of each product catalog knows among `product_ids`; unknown ones are left out.

    Raises ServiceUnavailable whenever no trustworthy answer came back, whatever the cause."""
    ids = sorted({str(product_id) for product_id in product_ids})
    try:
        token = service_token()
    except IdentityRefused as refusal:
        raise ServiceUnavailable("catalog", f"no service token: {refusal}") from None
    response = catalog.get(
        PRICES_PATH,
        params={"ids": ",".join(ids)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=(settings.DEPENDENCY_TIMEOUT_SECONDS, settings.CATALOG_READ_TIMEOUT_SECONDS),
    )
    if response.status_code != 200:
        raise ServiceUnavailable("catalog", f"it answered {response.status_code}")
    try:
        prices = [price_from(row) for row in response.json()["results"]]
    except (ValueError, KeyError, TypeError, InvalidOperation):
        raise ServiceUnavailable("catalog", "its answer is not a price list") from None
    return {price.product_id: price for price in prices if str(price.product_id) in ids}


def price_from(row: dict[str, Any]) -> ProductPrice:
    return ProductPrice(
        product_id=uuid.UUID(row["product_id"]),
        sku=str(row["sku"]),
        name=str(row["name"]),
        price=Decimal(row["price"]),
        currency=str(row["currency"]),
        is_active=bool(row["is_active"]),
    )
