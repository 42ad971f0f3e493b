"""Catalog reads."""

from django.db.models import QuerySet

from apps.catalog.models import Category, Product


def product_list() -> QuerySet[Product]:
    """Products customers may see, with their category in the same query."""
    return Product.objects.filter(is_active=True).select_related("category")


def category_list() -> QuerySet[Category]:
    return Category.objects.all()
