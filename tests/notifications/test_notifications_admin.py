"""notifications' admin: support reads recipients, e-mails and deliveries; only holders of
`notifications.webhook.manage_any` see endpoints, never their secrets; nobody edits by hand."""

import pytest

from apps.notifications.models import WebhookAttempt, WebhookDelivery
from tests.notifications.factories import RecipientFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

ADMIN = "/notifications/admin/notifications"
SUPPORT_SCOPES = ["notifications.admin.access", "notifications.notification.read_any"]


def test_support_reads_recipients_notifications_and_deliveries_without_saving(operator_client):
    client = operator_client(*SUPPORT_SCOPES)
    recipient = RecipientFactory()
    delivery = WebhookDelivery.objects.create(
        endpoint=WebhookEndpointFactory(),
        event_id=recipient.user_id,
        event_type="order.created",
        payload={},
        max_attempts=1,
    )
    WebhookAttempt.objects.create(
        delivery=delivery, attempted_at=delivery.created_at, response_status=502, duration_ms=7
    )

    delivery_page = client.get(f"{ADMIN}/webhookdelivery/{delivery.id}/change/")

    assert client.get(f"{ADMIN}/recipient/").status_code == 200
    assert client.get(f"{ADMIN}/notification/").status_code == 200
    assert client.get(f"{ADMIN}/webhookdelivery/").status_code == 200
    assert delivery_page.status_code == 200
    assert b"502" in delivery_page.content
    assert b'name="_save"' not in delivery_page.content
    assert client.get(f"{ADMIN}/webhookendpoint/").status_code == 403


def test_manage_any_sees_endpoints_but_not_their_secrets(operator_client):
    client = operator_client("notifications.admin.access", "notifications.webhook.manage_any")
    endpoint = WebhookEndpointFactory()

    page = client.get(f"{ADMIN}/webhookendpoint/{endpoint.id}/change/")

    assert page.status_code == 200
    assert endpoint.url.encode() in page.content
    assert endpoint.secret.encode() not in page.content
