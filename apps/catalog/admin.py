"""Catalog admin: catalog managers edit categories and products here; support only looks."""

from django.contrib import admin

from apps.catalog.models import Category, Product, ProductImport, ProductImportError
from apps.catalog.scopes import PRODUCT_READ, PRODUCT_WRITE
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline


class CatalogAdmin(ScopedModelAdmin):
    read_scope = PRODUCT_READ
    write_scope = PRODUCT_WRITE


@admin.register(Category)
class CategoryAdmin(CatalogAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Product)
class ProductAdmin(CatalogAdmin):
    list_display = ("name", "sku", "category", "price", "currency", "is_active")
    list_filter = ("is_active", "category")
    list_select_related = ("category",)
    search_fields = ("name", "sku")
    prepopulated_fields = {"slug": ("name",)}


class ProductImportErrorInline(ScopedTabularInline):
    model = ProductImportError
    read_scope = PRODUCT_READ
    fields = ("row", "field", "message")
    readonly_fields = fields
    extra = 0


@admin.register(ProductImport)
class ProductImportAdmin(ScopedModelAdmin):
    """Imports are started through the API; here operators follow them and read what failed."""

    read_scope = PRODUCT_READ
    list_display = (
        "file_name",
        "status",
        "processed_rows",
        "total_rows",
        "created_count",
        "updated_count",
        "requested_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("status",)
    exclude = ("source",)
    readonly_fields = list_display
    inlines = (ProductImportErrorInline,)
