"""Notifications admin: support looks up recipients, e-mails sent and webhook deliveries here, and
sends a failed delivery again; an endpoint that keeps failing is disabled here."""

from django.contrib import admin

from apps.notifications.models import (
    Notification,
    Recipient,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from apps.notifications.scopes import NOTIFICATION_READ_ANY, WEBHOOK_MANAGE_ANY, WEBHOOK_RESEND
from apps.notifications.services import webhook_delivery_resend, webhook_endpoint_update
from common.audit.actions import Actor, confirmed_action
from common.audit.display import json_display
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline
from common.operator_admin.columns import (
    EVERYTHING_OF_ORDER,
    ORDER,
    PeopleColumns,
    id_link_column,
    links_column,
    person_column,
)


@admin.register(Recipient)
class RecipientAdmin(ScopedModelAdmin):
    """Read-only: the directory is a copy of identity's users."""

    read_scope = NOTIFICATION_READ_ANY
    list_display = ("email", "full_name", "user_id", "as_of", "updated_at")
    search_fields = ("email", "full_name", "user_id")


@admin.register(Notification)
class NotificationAdmin(ScopedModelAdmin):
    read_scope = NOTIFICATION_READ_ANY
    list_display = ("subject", "email", "kind", "order", "sent_at")
    list_filter = ("kind",)
    search_fields = ("email", "=order_id", "=recipient__user_id")
    date_hierarchy = "sent_at"
    readonly_fields = ("elsewhere",)
    order = id_link_column("order_id", ORDER, description="order")
    elsewhere = links_column("order_id", ORDER, *EVERYTHING_OF_ORDER, description="its order")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(PeopleColumns, ScopedModelAdmin):
    """Signing secrets stay out of the admin; the API shows one to whoever manages its endpoint."""

    read_scope = WEBHOOK_MANAGE_ANY
    list_display = ("url", "owner", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "=owner_id")
    fields = ("id", "owner", "url", "event_types", "is_active", "created_at", "updated_at")
    readonly_fields = fields
    owner = person_column("owner_id", description="owner")
    actions = ("disable",)

    @confirmed_action(
        action="notifications.webhook.disable",
        description="Disable the selected endpoints",
        scope=WEBHOOK_MANAGE_ANY,
        fields=("is_active",),
        done="disabled",
    )
    def disable(self, endpoint: WebhookEndpoint, actor: Actor) -> None:
        webhook_endpoint_update(endpoint=endpoint, is_active=False)


class WebhookAttemptInline(ScopedTabularInline):
    read_scope = NOTIFICATION_READ_ANY
    model = WebhookAttempt
    fields = ("attempted_at", "response_status", "error", "duration_ms")
    readonly_fields = fields
    extra = 0


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ScopedModelAdmin):
    read_scope = NOTIFICATION_READ_ANY
    list_display = (
        "event_type",
        "endpoint",
        "order",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "event_type")
    list_select_related = ("endpoint",)
    search_fields = ("=event_id", "=endpoint__id")
    show_full_result_count = False
    order = id_link_column("payload__data__order_id", ORDER, description="order")
    elsewhere = links_column(
        "payload__data__order_id", ORDER, *EVERYTHING_OF_ORDER, description="its order"
    )
    inlines = (WebhookAttemptInline,)
    exclude = ("payload",)
    readonly_fields = ("elsewhere", "payload_shown")
    payload_shown = json_display("payload", description="payload")
    actions = ("resend",)

    @confirmed_action(
        action="notifications.webhook.resend",
        description="Send the selected failed deliveries again",
        scope=WEBHOOK_RESEND,
        fields=("status", "attempts", "max_attempts", "next_attempt_at"),
        done="queued again",
    )
    def resend(self, delivery: WebhookDelivery, actor: Actor) -> None:
        webhook_delivery_resend(delivery=delivery)
