"""Notifications commands: the directory, e-mails, webhook endpoints and their deliveries."""

import json
import time
import uuid
from datetime import datetime, timedelta

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from urllib3.exceptions import HTTPError

from apps.notifications import metrics
from apps.notifications.models import (
    PING_EVENT_TYPE,
    DeliveryStatus,
    Notification,
    NotificationKind,
    Recipient,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from apps.notifications.signing import webhook_headers, webhook_secret_generate
from apps.notifications.targets import Target, UnsafeTarget, target_post, target_resolve
from common.celery import enqueue_after_commit
from common.errors import ApplicationError
from common.events.envelope import Event

URL_REFUSED = "Webhooks may only be sent to public http(s) addresses."
ENDPOINT_INACTIVE = "The endpoint is not active."
NOT_FAILED = "Only a delivery that failed for good can be sent again."
SUBJECTS = {
    NotificationKind.WELCOME: "Welcome to Mercato",
    NotificationKind.ORDER_CONFIRMED: "Your order {short_id} is confirmed",
    NotificationKind.ORDER_CANCELLED: "Your order {short_id} was cancelled",
    NotificationKind.ORDER_REFUNDED: "Your order {short_id} was refunded",
}
WEBHOOK_DELIVERY_ATTEMPT_TASK = "notifications.webhook_delivery_attempt"
# How long a worker holds a delivery it is attempting before the sweep may try it again.
ATTEMPT_LEASE_SECONDS = 60


class RecipientUnknown(LookupError):
    """An order event about a customer whose `user.registered` has not arrived yet: retried."""


@transaction.atomic
def recipient_upsert(*, user_id: str, email: str, full_name: str, as_of: datetime) -> Recipient:
    """The directory entry of `user_id` as of the identity event's time; an event older than
    what the entry already reflects changes nothing."""
    recipient, created = Recipient.objects.select_for_update().get_or_create(
        user_id=user_id, defaults={"email": email, "full_name": full_name, "as_of": as_of}
    )
    if not created and (recipient.as_of is None or recipient.as_of < as_of):
        recipient.email, recipient.full_name, recipient.as_of = email, full_name, as_of
        recipient.save(update_fields=["email", "full_name", "as_of", "updated_at"])
    return recipient


@transaction.atomic
def recipient_welcome(*, event: Event) -> Notification:
    """A new account: the directory learns it and the person gets a welcome e-mail."""
    recipient = recipient_upsert(
        user_id=event.data["user_id"],
        email=event.data["email"],
        full_name=event.data["full_name"],
        as_of=event_time(event),
    )
    return notification_send(recipient=recipient, kind=NotificationKind.WELCOME, event=event)


@transaction.atomic
def order_notify(*, event: Event, kind: NotificationKind) -> Notification:
    """Tells the order's customer what happened to it; raises RecipientUnknown (so the event is
    retried) while identity's `user.registered` has not reached us."""
    recipient = Recipient.objects.filter(user_id=event.data["customer_id"]).first()
    if recipient is None:
        raise RecipientUnknown(f"no recipient {event.data['customer_id']} yet")
    return notification_send(recipient=recipient, kind=kind, event=event)


def notification_send(
    *, recipient: Recipient, kind: NotificationKind, event: Event
) -> Notification:
    """Records the e-mail and sends it in the caller's transaction: a failing mail server rolls
    the record back and fails the handler, which is then retried."""
    order_id = event.data.get("order_id")
    context = {"recipient": recipient, "data": event.data, "short_id": (order_id or "")[:8]}
    notification = Notification.objects.create(
        recipient=recipient,
        event_id=event.id,
        kind=kind,
        order_id=order_id,
        email=recipient.email,
        subject=SUBJECTS[kind].format(**context),
        body=render_to_string(f"notifications/{kind}.txt", context),
        sent_at=timezone.now(),
    )
    try:
        EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.email],
        ).send()
    except Exception:
        metrics.email_failed_count()
        raise
    metrics.email_sent_count()
    return notification


def event_time(event: Event) -> datetime:
    return datetime.fromisoformat(event.time)


def webhook_target(url: str) -> Target:
    """`url` resolved and checked as the settings allow: public addresses only, unless local
    development allows loopback or any private address too."""
    return target_resolve(
        url,
        allow_private=settings.WEBHOOK_ALLOW_PRIVATE_TARGETS,
        allow_loopback=settings.WEBHOOK_ALLOW_LOOPBACK_TARGETS,
    )


def checked_url(url: str) -> str:
    """`url` if webhooks may reach it now; otherwise a 400 naming `url` with the reason."""
    try:
        webhook_target(url)
    except UnsafeTarget as refusal:
        raise ApplicationError(
            URL_REFUSED, code="unsafe_url", errors={"url": [str(refusal)]}
        ) from None
    return url


@transaction.atomic
def webhook_endpoint_create(
    *, owner_id: str, url: str, event_types: list[str], is_active: bool = True
) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        owner_id=owner_id,
        url=checked_url(url),
        event_types=sorted(set(event_types)),
        secret=webhook_secret_generate(),
        is_active=is_active,
    )


@transaction.atomic
def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    event_types: list[str] | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    if url is not None:
        endpoint.url = checked_url(url)
    if event_types is not None:
        endpoint.event_types = sorted(set(event_types))
    if is_active is not None:
        endpoint.is_active = is_active
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


@transaction.atomic
def webhook_deliveries_create(*, event: Event) -> list[WebhookDelivery]:
    """One delivery of `event` per active endpoint of the order's own customer subscribed to its
    type, its first attempt queued after commit; a redelivered event adds none (unique per
    endpoint and event), and its attempts find nothing due."""
    endpoints = WebhookEndpoint.objects.filter(
        is_active=True,
        owner_id=str(uuid.UUID(event.data["customer_id"])),
        event_types__contains=[event.type],
    )
    payload = {"type": event.type, "timestamp": event.time, "data": event.data}
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                event_id=event.id,
                event_type=event.type,
                payload=payload,
                max_attempts=settings.WEBHOOK_MAX_ATTEMPTS,
                next_attempt_at=timezone.now(),
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,
    )
    for delivery in deliveries:
        enqueue_after_commit(WEBHOOK_DELIVERY_ATTEMPT_TASK, str(delivery.id))
    return deliveries


@transaction.atomic
def webhook_delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """A FAILED delivery is due again now, with as many attempts ahead of it as a new one, the
    first queued after commit; 409 for a delivery not failed or an endpoint no longer active."""
    delivery = (
        WebhookDelivery.objects.select_for_update().select_related("endpoint").get(id=delivery.id)
    )
    if delivery.status != DeliveryStatus.FAILED:
        raise ApplicationError(NOT_FAILED, status=409, code="delivery_not_failed")
    if not delivery.endpoint.is_active:
        raise ApplicationError(ENDPOINT_INACTIVE, status=409, code="endpoint_inactive")
    delivery.status = DeliveryStatus.PENDING
    delivery.max_attempts = delivery.attempts + settings.WEBHOOK_MAX_ATTEMPTS
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "max_attempts", "next_attempt_at"])
    enqueue_after_commit(WEBHOOK_DELIVERY_ATTEMPT_TASK, str(delivery.id))
    return delivery


def webhook_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Sends a signed `webhook.ping` to the endpoint now, once, and returns it with its attempt."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=uuid.uuid4(),
        event_type=PING_EVENT_TYPE,
        payload={
            "type": PING_EVENT_TYPE,
            "timestamp": now.isoformat(),
            "data": {"endpoint_id": str(endpoint.id)},
        },
        max_attempts=1,
        # Created already claimed by this request, so the sweep leaves it alone unless we die.
        next_attempt_at=now + timedelta(seconds=ATTEMPT_LEASE_SECONDS),
    )
    delivery = delivery_attempt(delivery=delivery, attempted_at=now)
    prefetch_related_objects([delivery], "attempt_log")
    return delivery


def webhook_delivery_attempt(*, delivery_id: uuid.UUID | str) -> WebhookDelivery | None:
    """One POST of a due delivery, logged; None when it is not due (finished, waiting for its
    next attempt, or held by another worker)."""
    now = timezone.now()
    # Claiming by moving the due time forward lets one worker attempt without holding a row
    # lock through the HTTP call; a worker that dies mid-attempt leaves it to the sweep.
    claimed = WebhookDelivery.objects.filter(
        id=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=ATTEMPT_LEASE_SECONDS))
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(id=delivery_id)
    return delivery_attempt(delivery=delivery, attempted_at=now)


def delivery_attempt(*, delivery: WebhookDelivery, attempted_at: datetime) -> WebhookDelivery:
    """One signed POST of a delivery the caller holds, logged and settled."""
    started = time.monotonic()
    response_status, error = delivery_post(delivery)
    return webhook_attempt_record(
        delivery=delivery,
        attempted_at=attempted_at,
        response_status=response_status,
        error=error,
        duration_ms=round((time.monotonic() - started) * 1000),
    )


def delivery_post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """The endpoint's answer to one signed POST, or why none came."""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return None, ENDPOINT_INACTIVE
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = webhook_headers(
        secret=endpoint.secret, message_id=str(delivery.id), timestamp=int(time.time()), body=body
    )
    try:
        # Resolved and checked again on every attempt: DNS may have changed since creation.
        target = webhook_target(endpoint.url)
        status = target_post(
            target=target, body=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except UnsafeTarget as refusal:
        return None, str(refusal)
    except (HTTPError, OSError) as failure:
        return None, f"{type(failure).__name__}: {failure}"[:1000]
    return status, "" if 200 <= status < 300 else f"The endpoint answered {status}."


@transaction.atomic
def webhook_attempt_record(
    *,
    delivery: WebhookDelivery,
    attempted_at: datetime,
    response_status: int | None,
    error: str,
    duration_ms: int,
) -> WebhookDelivery:
    """Logs the attempt and settles the delivery: succeeded, failed for good, or due again after
    an exponential backoff with full jitter."""
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=attempted_at,
        response_status=response_status,
        error=error,
        duration_ms=duration_ms,
    )
    delivery.attempts += 1
    if not error:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
    elif delivery.attempts >= delivery.max_attempts or error == ENDPOINT_INACTIVE:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delay = get_exponential_backoff_interval(
            factor=settings.WEBHOOK_RETRY_BACKOFF_SECONDS,
            retries=delivery.attempts - 1,
            maximum=settings.WEBHOOK_RETRY_MAXIMUM_SECONDS,
            full_jitter=True,
        )
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    delivery.save(update_fields=["attempts", "status", "next_attempt_at"])
    metrics.webhook_attempt_count(status=delivery.status)
    return delivery
