"""Notifications admin: support looks up recipients, e-mails sent and webhook deliveries here."""

from django.contrib import admin

from apps.notifications.models import (
    Notification,
    Recipient,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from apps.notifications.scopes import NOTIFICATION_READ_ANY, WEBHOOK_MANAGE_ANY
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline


@admin.register(Recipient)
class RecipientAdmin(ScopedModelAdmin):
    """Read-only: the directory is a copy of identity's users."""

    read_scope = NOTIFICATION_READ_ANY
    list_display = ("email", "full_name", "user_id", "as_of", "updated_at")
    search_fields = ("email", "full_name", "user_id")


@admin.register(Notification)
class NotificationAdmin(ScopedModelAdmin):
    read_scope = NOTIFICATION_READ_ANY
    list_display = ("subject", "email", "kind", "order_id", "sent_at")
    list_filter = ("kind",)
    search_fields = ("email", "=order_id", "=recipient__user_id")
    date_hierarchy = "sent_at"


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ScopedModelAdmin):
    """Signing secrets stay out of the admin; the API shows one to whoever manages its endpoint."""

    read_scope = WEBHOOK_MANAGE_ANY
    list_display = ("url", "owner_id", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "=owner_id")
    fields = ("id", "owner_id", "url", "event_types", "is_active", "created_at", "updated_at")
    readonly_fields = fields


class WebhookAttemptInline(ScopedTabularInline):
    read_scope = NOTIFICATION_READ_ANY
    model = WebhookAttempt
    fields = ("attempted_at", "response_status", "error", "duration_ms")
    readonly_fields = fields
    extra = 0


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ScopedModelAdmin):
    read_scope = NOTIFICATION_READ_ANY
    list_display = ("event_type", "endpoint", "status", "attempts", "next_attempt_at", "created_at")
    list_filter = ("status", "event_type")
    list_select_related = ("endpoint",)
    search_fields = ("=event_id", "=endpoint__id")
    inlines = (WebhookAttemptInline,)
