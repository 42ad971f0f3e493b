"""Notifications tasks: webhook delivery attempts, retried with backoff, and their sweep."""

from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.notifications.models import DeliveryStatus, WebhookDelivery
from apps.notifications.selectors import webhook_deliveries_due
from apps.notifications.services import webhook_delivery_attempt


@shared_task(name="notifications.webhook_delivery_attempt", ignore_result=True)
def webhook_delivery_attempt_task(delivery_id: str) -> None:
    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return
    if delivery.next_attempt_at is not None:
        wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
        webhook_delivery_attempt_task.apply_async(args=(delivery_id,), countdown=max(wait, 0))


@shared_task(name="notifications.webhook_deliveries_sweep", ignore_result=True)
def webhook_deliveries_sweep_task() -> int:
    """Picks up deliveries whose queued attempt was lost (broker down at commit, worker killed)."""
    due = [
        str(delivery_id) for delivery_id in webhook_deliveries_due().values_list("id", flat=True)
    ]
    for delivery_id in due:
        webhook_delivery_attempt_task.delay(delivery_id)
    return len(due)


def webhook_deliveries_dispatch(deliveries: list[WebhookDelivery]) -> None:
    """Queues each delivery's first attempt once the transaction that created it commits; if the
    broker refuses, the sweep sends it later."""
    for delivery in deliveries:
        transaction.on_commit(
            partial(webhook_delivery_attempt_task.delay, str(delivery.id)), robust=True
        )
