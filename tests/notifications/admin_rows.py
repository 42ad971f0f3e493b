"""Notifications' rows for the admin list-page tests (test_admin_list_pages.py)."""

import uuid

from django.utils import timezone

from apps.notifications.models import (
    Notification,
    NotificationKind,
    Recipient,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.every_service.admin_rows import SHARED_ROWS, local_operator_rows, user_ids


def recipients(count: int) -> list[Recipient]:
    return Recipient.objects.bulk_create(
        Recipient(user_id=user_id, email=f"{user_id}@mercato.test", as_of=timezone.now())
        for user_id in user_ids(count)
    )


def notifications(count: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            event_id=uuid.uuid4(),
            kind=NotificationKind.ORDER_CONFIRMED,
            order_id=uuid.uuid4(),
            email=recipient.email,
            subject="Your order is confirmed",
            body="Thank you for your order.",
            sent_at=timezone.now(),
        )
        for recipient in recipients(count)
    )


def endpoints(count: int) -> list[WebhookEndpoint]:
    """Each owned by a customer of its own, whom the list names."""
    return WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(
            owner_id=str(recipient.user_id),
            url="https://hooks.example.com/mercato",
            event_types=["order.created"],
            secret="whsec_c2VjcmV0",
        )
        for recipient in recipients(count)
    )


def deliveries(count: int) -> None:
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event_id=uuid.uuid4(),
            event_type="order.created",
            payload={"type": "order.created", "data": {"order_id": str(uuid.uuid4())}},
            max_attempts=8,
        )
        for endpoint in endpoints(count)
    )


ROWS = {
    **SHARED_ROWS,
    **local_operator_rows(),
    Recipient: recipients,
    Notification: notifications,
    WebhookEndpoint: endpoints,
    WebhookDelivery: deliveries,
}
LARGE = (WebhookDelivery,)
