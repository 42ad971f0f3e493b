"""Orders admin: operators look orders up here."""

from django.contrib import admin

from apps.orders.models import Order, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("id", "customer_id", "status", "total", "currency", "created_at")
    list_filter = ("status",)
    search_fields = ("id", "customer_id")
    inlines = (OrderLineInline,)
