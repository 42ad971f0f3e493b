"""Payments admin: operators look payments up here."""

from django.contrib import admin

from apps.payments.models import Payment
from common.auth.operators import ScopedModelAdmin


@admin.register(Payment)
class PaymentAdmin(ScopedModelAdmin):
    """Read-only: payments change through the provider calls, never by hand."""

    read_scope = "payments.payment.read_any"
    list_display = ("id", "order_id", "status", "amount", "currency", "provider", "created_at")
    list_filter = ("status", "provider")
    search_fields = ("id", "order_id", "customer_id", "provider_reference")
