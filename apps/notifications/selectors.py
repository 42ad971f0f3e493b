"""Notifications reads: what a viewer may see of e-mails sent and webhook endpoints."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
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


@dataclass(frozen=True)
class EndpointFailures:
    """An endpoint's deliveries that used up their attempts, and those failing and retried."""

    url: str
    is_active: bool
    failed: int
    retrying: int


def webhook_failures_by_endpoint(*, since: datetime, limit: int) -> list[EndpointFailures]:
    """The `limit` endpoints with the most failing deliveries among those made since `since`,
    in one query grouped by endpoint."""
    failing = (
        WebhookDelivery.objects.filter(created_at__gte=since)
        .filter(Q(status=DeliveryStatus.FAILED) | Q(status=DeliveryStatus.PENDING, attempts__gt=0))
        .values_list("endpoint_id", "endpoint__url", "endpoint__is_active")
        .annotate(
            failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
            retrying=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
        )
        .order_by("-failed", "-retrying", "endpoint__url", "endpoint_id")[:limit]
    )
    return [
        EndpointFailures(url=url, is_active=is_active, failed=failed, retrying=retrying)
        for _, url, is_active, failed, retrying in failing
    ]
