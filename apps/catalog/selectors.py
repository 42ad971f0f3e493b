"""Catalog reads."""

import csv
import io
import uuid

from django.db.models import Exists, OuterRef, QuerySet

from apps.catalog.models import Category, Product, ProductImport, ProductImportError
from common.jobs import FINISHED_STATUSES


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


def product_import_admin_list() -> QuerySet[ProductImport]:
    """Imports without their files, each with `has_rejected_rows`, for pages listing many."""
    rejected = ProductImportError.objects.filter(product_import=OuterRef("pk"))
    return ProductImport.objects.defer("source").annotate(has_rejected_rows=Exists(rejected))


def product_import_rejected_rows_csv(*, product_import: ProductImport) -> str | None:
    """The rows a finished import refused, one line per error: row number, field, message;
    None while it runs or when it refused none."""
    if product_import.status not in FINISHED_STATUSES:
        return None
    errors = product_import.errors.values_list("row", "field", "message")
    if not errors:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("row", "field", "message"))
    writer.writerows(errors)
    return buffer.getvalue()
