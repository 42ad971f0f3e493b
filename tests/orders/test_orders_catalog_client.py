"""The catalog client: prices read with this service's token, and no answer as one exception."""

import uuid
from decimal import Decimal

import pytest

from common.clients.catalog import ProductPrice, product_prices
from common.clients.http import ServiceUnavailable
from common.clients.identity import service_token


@pytest.mark.django_db
def test_product_prices_reads_catalog_with_the_service_token(catalog_stub):
    known, unknown = uuid.uuid4(), uuid.uuid4()
    catalog_stub.add(known, price="7.20", currency="EUR", sku="TEA-1", name="Earl Grey")

    prices = product_prices(product_ids=[known, unknown])

    (asked,) = catalog_stub.price_requests()
    assert prices == {
        known: ProductPrice(
            product_id=known,
            sku="TEA-1",
            name="Earl Grey",
            price=Decimal("7.20"),
            currency="EUR",
            is_active=True,
        )
    }
    assert asked.headers["authorization"] == f"Bearer {service_token()}"


@pytest.mark.django_db
@pytest.mark.parametrize("status", [401, 403, 500])
def test_product_prices_without_an_answer_raise_service_unavailable(catalog_stub, status):
    service_token()
    catalog_stub.fail(status, status)

    with pytest.raises(ServiceUnavailable):
        product_prices(product_ids=[uuid.uuid4()])
