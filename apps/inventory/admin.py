"""Inventory admin: operators see and adjust stock here."""

from django.contrib import admin

from apps.inventory.models import Stock
from common.auth.operators import ScopedModelAdmin


@admin.register(Stock)
class StockAdmin(ScopedModelAdmin):
    read_scope = "catalog.stock.read"
    write_scope = "catalog.stock.write"
    list_display = ("product", "on_hand", "reserved", "available", "updated_at")
    list_select_related = ("product",)
    search_fields = ("product__name", "product__sku")
    readonly_fields = ("reserved",)
