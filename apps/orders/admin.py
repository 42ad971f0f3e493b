"""Orders admin: operators look orders, their history and export jobs up here, read-only."""

from django.contrib import admin

from apps.orders.models import Order, OrderExport, OrderLine, OrderStatusChange
from apps.orders.scopes import ORDER_EXPORT, ORDER_READ_ANY
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline


class OrderLineInline(ScopedTabularInline):
    read_scope = ORDER_READ_ANY
    model = OrderLine
    extra = 0


class OrderStatusChangeInline(ScopedTabularInline):
    read_scope = ORDER_READ_ANY
    model = OrderStatusChange
    extra = 0
    readonly_fields = ("from_status", "to_status", "reason", "actor", "at")


@admin.register(Order)
class OrderAdmin(ScopedModelAdmin):
    """Read-only: orders change through the checkout saga, never by hand."""

    read_scope = ORDER_READ_ANY
    list_display = ("id", "customer_id", "status", "total", "currency", "created_at")
    list_filter = ("status",)
    search_fields = ("=id", "=customer_id")
    inlines = (OrderLineInline, OrderStatusChangeInline)


@admin.register(OrderExport)
class OrderExportAdmin(ScopedModelAdmin):
    read_scope = ORDER_EXPORT
    list_display = ("id", "requested_by", "status", "row_count", "created_at", "finished_at")
    list_filter = ("status",)
    exclude = ("content",)
