"""catalog suites: stocked products, order events as orders publishes them, operator tokens."""

import uuid

import pytest

from apps.inventory.models import Stock
from common.testing.factories import CategoryFactory, ProductFactory


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


def created_data(order_id, *lines) -> dict:
    """order.created's data; each line is (product, quantity)."""
    return {
        "order_id": str(order_id),
        "customer_id": str(uuid.uuid4()),
        "lines": [
            {"product_id": str(product.id), "quantity": quantity} for product, quantity in lines
        ],
    }


def settled_data(order_id, *lines, **extra) -> dict:
    """order.confirmed / order.cancelled / order.refunded data; `extra` adds e.g. a reason."""
    return {
        "order_id": str(order_id),
        "customer_id": str(uuid.uuid4()),
        "total": "10.00",
        "currency": "EUR",
        "lines": [
            {
                "product_id": str(product.id),
                "sku": product.sku,
                "name": product.name,
                "quantity": quantity,
                "unit_price": "10.00",
            }
            for product, quantity in lines
        ],
        **extra,
    }


@pytest.fixture
def manager(token_minter) -> dict[str, str]:
    return token_minter.authorization(
        roles=["catalog_manager"],
        scopes=["catalog.product.write", "catalog.stock.write", "catalog.import.run"],
    )


@pytest.fixture
def customer(token_minter) -> dict[str, str]:
    return token_minter.authorization(roles=["customer"], scopes=["orders.order.create"])


@pytest.fixture
def orders_service(token_minter) -> dict[str, str]:
    return token_minter.authorization(
        subject="service:orders", roles=["service_orders"], scopes=["catalog.price.read_internal"]
    )
