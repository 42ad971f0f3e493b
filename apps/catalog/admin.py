"""Catalog admin: catalog managers edit categories and products here; support only looks."""

from django.contrib import admin

from apps.catalog.models import Category, Product
from common.auth.operators import ScopedModelAdmin


class CatalogAdmin(ScopedModelAdmin):
    read_scope = "catalog.product.read"
    write_scope = "catalog.product.write"


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
