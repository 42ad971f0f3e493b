"""Inventory reads."""

from django.db.models import QuerySet

from apps.catalog.models import Product
from apps.inventory.models import Stock


def product_stock_list(*, include_archived: bool = False) -> QuerySet[Product]:
    """Products with their stock row joined (a product may have none yet: nothing on hand)."""
    products = Product.objects.select_related("stock")
    return products if include_archived else products.filter(is_active=True)


def stock_of(product: Product) -> Stock:
    """`product`'s stock as loaded with it, or an unsaved empty one when it has no row."""
    try:
        return product.stock
    except Stock.DoesNotExist:
        return Stock(product=product)
