"""Notifications tasks: webhook delivery attempts, retried with backoff, and their sweep."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.notifications import services
from apps.notifications.models import DeliveryStatus
from apps.notifications.selectors import webhook_deliveries_due
from common.celery import enqueue, sweep_reported


@shared_task(name=services.WEBHOOK_DELIVERY_ATTEMPT_TASK, ignore_result=True)
def webhook_delivery_attempt_task(delivery_id: str) -> None:
    delivery = services.webhook_delivery_attempt(delivery_id=delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return
    if delivery.next_attempt_at is not None:
        wait = max((delivery.next_attempt_at - timezone.now()).total_seconds(), 0)
        # A longer wait is the sweep's: no worker may hold a message that long (see settings).
        if wait <= settings.TASK_COUNTDOWN_MAXIMUM_SECONDS:
            enqueue(services.WEBHOOK_DELIVERY_ATTEMPT_TASK, delivery_id, countdown=wait)


@shared_task(name="notifications.webhook_deliveries_sweep", ignore_result=True)
def webhook_deliveries_sweep_task() -> int:
    """Picks up deliveries whose queued attempt was lost (broker down at commit, worker killed)."""
    due = webhook_deliveries_due().values_list("id", flat=True)
    sent = sum(
        enqueue(services.WEBHOOK_DELIVERY_ATTEMPT_TASK, str(delivery_id)) for delivery_id in due
    )
    return sweep_reported("webhook_deliveries", sent)
