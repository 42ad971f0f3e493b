"""factory-boy factories for notifications' models."""

import uuid

import factory
from django.utils import timezone

from apps.notifications.models import (
    WEBHOOK_EVENT_TYPES,
    Notification,
    NotificationKind,
    Recipient,
    WebhookDelivery,
    WebhookEndpoint,
)
from apps.notifications.signing import webhook_secret_generate


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    user_id = factory.LazyFunction(uuid.uuid4)
    email = factory.Sequence(lambda number: f"customer{number}@mercato.test")
    full_name = factory.Sequence(lambda number: f"Customer {number}")
    as_of = factory.LazyFunction(timezone.now)


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    owner_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    url = "https://hooks.example.com/mercato"
    event_types = factory.LazyFunction(lambda: list(WEBHOOK_EVENT_TYPES))
    secret = factory.LazyFunction(webhook_secret_generate)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(RecipientFactory)
    event_id = factory.LazyFunction(uuid.uuid4)
    kind = NotificationKind.ORDER_CONFIRMED
    order_id = factory.LazyFunction(uuid.uuid4)
    email = factory.SelfAttribute("recipient.email")
    subject = "Your order is confirmed"
    body = "Thank you for your order."
    sent_at = factory.LazyFunction(timezone.now)


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event_id = factory.LazyFunction(uuid.uuid4)
    event_type = "order.confirmed"
    payload = factory.LazyAttribute(
        lambda delivery: {"type": delivery.event_type, "timestamp": "", "data": {}}
    )
    max_attempts = 1
    next_attempt_at = factory.LazyFunction(timezone.now)
