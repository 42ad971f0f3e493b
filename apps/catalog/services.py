"""Catalog commands: every change to categories and products goes through here."""

from decimal import Decimal

from django.db import transaction

from apps.catalog.models import Category, Product
from apps.inventory.models import Stock


@transaction.atomic
def category_upsert(*, slug: str, name: str, description: str = "") -> Category:
    category, _ = Category.objects.update_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )
    return category


@transaction.atomic
def product_upsert(
    *,
    sku: str,
    name: str,
    slug: str,
    price: Decimal,
    currency: str,
    category: Category,
    description: str = "",
    initial_stock: int = 0,
) -> Product:
    """Creates or updates the product with `sku`; stock is set only when the product is new."""
    product, _ = Product.objects.update_or_create(
        sku=sku,
        defaults={
            "name": name,
            "slug": slug,
            "price": price,
            "currency": currency,
            "category": category,
            "description": description,
        },
    )
    Stock.objects.get_or_create(product=product, defaults={"on_hand": initial_stock})
    return product
