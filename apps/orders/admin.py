"""Orders admin: operators look orders up here."""

from django.contrib import admin

from apps.orders.models import Order, OrderLine
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline


class OrderLineInline(ScopedTabularInline):
    read_scope = "orders.order.read_any"
    model = OrderLine
    extra = 0


@admin.register(Order)
class OrderAdmin(ScopedModelAdmin):
    """Read-only: orders change through the checkout saga, never by hand."""

    read_scope = "orders.order.read_any"
    list_display = ("id", "customer_id", "status", "total", "currency", "created_at")
    list_filter = ("status",)
    search_fields = ("id", "customer_id")
    inlines = (OrderLineInline,)
