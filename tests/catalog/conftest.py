"""catalog suites: stocked products, order events as orders publishes them, operator tokens."""

import pytest

from apps.inventory.models import Stock
from tests.catalog.factories import CategoryFactory, ProductFactory


@pytest.fixture
def stocked():
    """`stocked(on_hand, **product_fields)` makes a product with that many units on hand."""

    def make(on_hand: int = 10, **fields):
        product = ProductFactory(**fields)
        Stock.objects.create(product=product, on_hand=on_hand)
        return product

    return make


@pytest.fixture
def coffee():
    return CategoryFactory(slug="coffee", name="Coffee")


def stock_of(product) -> tuple[int, int]:
    """(on hand, reserved) of `product` as the database has them now."""
    stock = Stock.objects.get(product=product)
    return stock.on_hand, stock.reserved


@pytest.fixture
def manager(token_minter) -> dict[str, str]:
    return token_minter.authorization(
        roles=["catalog_manager"],
        scopes=["catalog.product.write", "catalog.stock.write", "catalog.import.run"],
    )


@pytest.fixture
def customer_headers(token_minter) -> dict[str, str]:
    return token_minter.authorization(roles=["customer"], scopes=["orders.order.create"])


@pytest.fixture
def orders_service(token_minter) -> dict[str, str]:
    return token_minter.authorization(
        subject="service:orders", roles=["service_orders"], scopes=["catalog.price.read_internal"]
    )
