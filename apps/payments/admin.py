"""Payments admin: operators look payments and the sandbox's ledger up here."""

from django.contrib import admin

from apps.payments.models import Payment, SandboxOperation
from apps.payments.scopes import PAYMENT_READ_ANY
from common.auth.operators import ScopedModelAdmin


@admin.register(Payment)
class PaymentAdmin(ScopedModelAdmin):
    """Read-only: payments change through the provider calls, never by hand."""

    read_scope = PAYMENT_READ_ANY
    list_display = (
        "id",
        "order_id",
        "status",
        "amount",
        "currency",
        "provider",
        "attempts",
        "failure_reason",
        "refund_requested_at",
        "refund_failure_reason",
        "created_at",
    )
    list_filter = (
        "status",
        "provider",
        ("refund_requested_at", admin.EmptyFieldListFilter),
        "refund_failure_reason",
    )
    search_fields = ("=id", "=order_id", "=customer_id", "provider_reference", "refund_reference")


@admin.register(SandboxOperation)
class SandboxOperationAdmin(ScopedModelAdmin):
    """What the sandbox provider did for each idempotency key; never edited by hand either."""

    read_scope = PAYMENT_READ_ANY
    list_display = ("idempotency_key", "kind", "succeeded", "reference", "decline_reason")
    list_filter = ("kind", "succeeded")
    search_fields = ("=idempotency_key", "reference")
