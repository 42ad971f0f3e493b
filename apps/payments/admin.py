"""Payments admin: operators look payments up here."""

from django.contrib import admin

from apps.payments.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("id", "order_id", "status", "amount", "currency", "provider", "created_at")
    list_filter = ("status", "provider")
    search_fields = ("id", "order_id", "customer_id", "provider_reference")
