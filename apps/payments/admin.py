"""Payments admin: operators look payments and the sandbox's ledger up here; finance retries a
stalled charge or refund."""

from django.contrib import admin

from apps.payments.models import Payment, SandboxOperation
from apps.payments.scopes import PAYMENT_READ_ANY, PAYMENT_RETRY
from apps.payments.services import payment_retry
from common.audit.actions import Actor, confirmed_action
from common.auth.operators import ScopedModelAdmin
from common.operator_admin.columns import (
    NOTIFICATIONS_OF_ORDER,
    ORDER,
    RESERVATIONS_OF_ORDER,
    WEBHOOK_DELIVERIES_OF_ORDER,
    PeopleColumns,
    id_link_column,
    links_column,
    person_column,
)


@admin.register(Payment)
class PaymentAdmin(PeopleColumns, ScopedModelAdmin):
    """Changed only by the provider calls, and by a retry below, never by hand."""

    read_scope = PAYMENT_READ_ANY
    list_display = (
        "id",
        "order",
        "customer",
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
    exclude = ("customer_id",)
    readonly_fields = ("status", "amount", "currency", "refunded_at", "customer", "elsewhere")
    show_full_result_count = False
    order = id_link_column("order_id", ORDER, description="order")
    customer = person_column("customer_id", description="customer")
    elsewhere = links_column(
        "order_id",
        ORDER,
        NOTIFICATIONS_OF_ORDER,
        WEBHOOK_DELIVERIES_OF_ORDER,
        RESERVATIONS_OF_ORDER,
        description="its order",
    )
    actions = ("retry",)

    @confirmed_action(
        action="payments.payment.retry",
        description="Retry the selected stalled payments",
        scope=PAYMENT_RETRY,
        fields=("status", "attempts", "refund_failure_reason"),
        done="queued again",
    )
    def retry(self, payment: Payment, actor: Actor) -> None:
        payment_retry(payment_id=payment.id)


@admin.register(SandboxOperation)
class SandboxOperationAdmin(ScopedModelAdmin):
    """What the sandbox provider did for each idempotency key; never edited by hand either."""

    read_scope = PAYMENT_READ_ANY
    list_display = ("idempotency_key", "kind", "succeeded", "reference", "decline_reason")
    list_filter = ("kind", "succeeded")
    search_fields = ("=idempotency_key", "reference")
    readonly_fields = ("amount", "currency")
