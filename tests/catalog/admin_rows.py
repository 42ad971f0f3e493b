"""Catalog's rows for the admin list-page tests (test_admin_list_pages.py)."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.catalog.models import Category, Product, ProductImport
from apps.inventory.models import Reservation, Stock, StockAdjustment
from common.jobs import JobStatus
from tests.every_service.admin_rows import SHARED_ROWS, local_operator_rows, people


def categories(count: int) -> list[Category]:
    return Category.objects.bulk_create(
        Category(name=f"Category {key}", slug=f"category-{key}")
        for key in (uuid.uuid4().hex for _ in range(count))
    )


def products(count: int) -> list[Product]:
    """Each in a category of its own: the list shows each product's category."""
    return Product.objects.bulk_create(
        Product(
            category=category,
            sku=f"SKU-{category.slug}",
            name=f"Product {category.slug}",
            slug=f"product-{category.slug}",
            price=Decimal("10.00"),
            currency="EUR",
        )
        for category in categories(count)
    )


def stock(count: int) -> None:
    Stock.objects.bulk_create(
        Stock(product=product, on_hand=10, reserved=2) for product in products(count)
    )


def adjustments(count: int) -> None:
    StockAdjustment.objects.bulk_create(
        StockAdjustment(
            product=product,
            delta=5,
            on_hand_after=5,
            reason="Counted",
            actor=str(person.user_id),
        )
        for product, person in zip(products(count), people(count), strict=True)
    )


def reservations(count: int) -> None:
    Reservation.objects.bulk_create(
        Reservation(order_id=uuid.uuid4(), expires_at=timezone.now() + timedelta(minutes=15))
        for _ in range(count)
    )


def imports(count: int) -> None:
    ProductImport.objects.bulk_create(
        ProductImport(
            requested_by=str(person.user_id),
            status=JobStatus.SUCCEEDED,
            source="sku,name\n",
            file_name="products.csv",
            total_rows=1,
            processed_rows=1,
        )
        for person in people(count)
    )


ROWS = {
    **SHARED_ROWS,
    **local_operator_rows(),
    Category: categories,
    Product: products,
    Stock: stock,
    StockAdjustment: adjustments,
    Reservation: reservations,
    ProductImport: imports,
}
LARGE = (Product, Stock)
