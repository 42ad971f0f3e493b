"""Notifications records: the user directory, e-mails sent, and webhook endpoints with their log."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models

# The order events a customer's webhook endpoint may subscribe to.
WEBHOOK_EVENT_TYPES = ("order.created", "order.confirmed", "order.cancelled", "order.refunded")
PING_EVENT_TYPE = "webhook.ping"


class Recipient(models.Model):
    """A copy of one identity user, kept from `user.registered` and `user.updated`."""

    user_id = models.UUIDField(primary_key=True)
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True)
    # The time of the identity event this row reflects, so an older event arriving late loses.
    as_of = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("email",)

    def __str__(self) -> str:
        return self.email


class NotificationKind(models.TextChoices):
    WELCOME = "welcome"
    ORDER_CONFIRMED = "order_confirmed"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_REFUNDED = "order_refunded"


class Notification(models.Model):
    """One e-mail sent to a person, kept so they (and support) can read what we told them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="notifications")
    event_id = models.UUIDField()
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    order_id = models.UUIDField(null=True, blank=True)
    email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "kind"], name="notifications_notification_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.subject


class WebhookEndpoint(models.Model):
    """A URL a customer registered to receive signed events about their own orders."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_id = models.CharField(max_length=200, db_index=True)
    url = models.URLField(max_length=2000)
    event_types = ArrayField(
        models.CharField(max_length=64, choices=[(t, t) for t in WEBHOOK_EVENT_TYPES])
    )
    # Standard Webhooks form: `whsec_` and the base64 of the random key bytes.
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class WebhookDelivery(models.Model):
    """One event for one endpoint; its id is the `webhook-id` header, the same on every retry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="notifications_delivery_once_per_endpoint"
            )
        ]
        indexes = [
            # The sweep reads only deliveries still waiting for an attempt.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status=DeliveryStatus.PENDING),
                name="notifications_delivery_due",
            ),
            # The admin's list, newest first, and the dashboard's failures by endpoint.
            models.Index(fields=["-created_at"], name="notifications_delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the endpoint answered, or why nothing was sent."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ("attempted_at", "id")

    def __str__(self) -> str:
        return f"{self.response_status or self.error[:40]} at {self.attempted_at}"
