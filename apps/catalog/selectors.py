"""Catalog reads."""

from django.db.models import QuerySet

from apps.catalog.models import Category, Product


def product_list(*, include_archived: bool = False) -> QuerySet[Product]:
    """Products customers may see (and archived ones if asked), with their category."""
    products = Product.objects.select_related("category")
    return products if include_archived else products.filter(is_active=True)


def category_list() -> QuerySet[Category]:
    return Category.objects.all()
