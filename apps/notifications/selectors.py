"""Notifications reads: what a viewer may see of e-mails sent and webhook endpoints."""

from django.db.models import QuerySet
from django.utils import timezone

from apps.notifications.models import (
    DeliveryStatus,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
)
from apps.notifications.scopes import NOTIFICATION_READ_ANY, WEBHOOK_MANAGE_ANY
from common.auth.permissions import owned_or_any
from common.auth.users import TokenUser

SWEEP_BATCH_SIZE = 500


def notification_list(*, viewer: TokenUser) -> QuerySet[Notification]:
    """The viewer's own e-mails, or everyone's with `notifications.notification.read_any`."""
    return owned_or_any(
        Notification.objects.all(),
        viewer=viewer,
        any_scope=NOTIFICATION_READ_ANY,
        owner_field="recipient_id",
    )


def webhook_endpoint_list(*, viewer: TokenUser) -> QuerySet[WebhookEndpoint]:
    """The viewer's own endpoints, or everyone's with `notifications.webhook.manage_any`."""
    return owned_or_any(
        WebhookEndpoint.objects.all(),
        viewer=viewer,
        any_scope=WEBHOOK_MANAGE_ANY,
        owner_field="owner_id",
    )


def webhook_delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.prefetch_related("attempt_log")


def webhook_deliveries_due() -> QuerySet[WebhookDelivery]:
    """Deliveries whose next attempt is due, oldest first, a batch at a time."""
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
    )
    return due.order_by("next_attempt_at")[:SWEEP_BATCH_SIZE]
