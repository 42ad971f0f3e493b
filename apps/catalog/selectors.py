"""Catalog reads."""

import uuid

from django.db.models import QuerySet

from apps.catalog.models import Category, Product, ProductImport


def product_list(*, include_archived: bool = False) -> QuerySet[Product]:
    """Products customers may see (and archived ones if asked), with their category."""
    products = Product.objects.select_related("category")
    return products if include_archived else products.filter(is_active=True)


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def product_price_list(*, ids: list[uuid.UUID]) -> QuerySet[Product]:
    """The products with these ids, archived ones included: an order names what it names."""
    return Product.objects.filter(id__in=ids).only(
        "id", "sku", "name", "price", "currency", "is_active"
    )


def product_import_list() -> QuerySet[ProductImport]:
    return ProductImport.objects.defer("source").prefetch_related("errors")
