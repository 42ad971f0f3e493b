"""notifications' admin: support reads recipients, e-mails and deliveries; only holders of
`notifications.webhook.manage_any` see endpoints, never their secrets; nobody edits by hand.
Support sends a failed delivery again and manage_any disables an endpoint, confirmed and audited."""

import uuid

import pytest
from django.conf import settings

from apps.notifications.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from apps.notifications.services import NOT_FAILED
from common.audit.models import AuditEntry
from common.operator_admin.columns import (
    NOTIFICATIONS_OF_ORDER,
    ORDER,
    WEBHOOK_DELIVERIES_OF_ORDER,
)
from common.testing.admin import action_run, signed_in_user
from tests.notifications.conftest import WEBHOOK_TARGET
from tests.notifications.factories import (
    NotificationFactory,
    RecipientFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)

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


RESEND_SCOPES = [*SUPPORT_SCOPES, "notifications.webhook.resend"]
MANAGE_ANY_SCOPES = ["notifications.admin.access", "notifications.webhook.manage_any"]


@pytest.fixture
def failed_delivery(webhook_receiver) -> WebhookDelivery:
    endpoint = WebhookEndpointFactory(url=webhook_receiver.url(WEBHOOK_TARGET))
    return WebhookDeliveryFactory(
        endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=1, next_attempt_at=None
    )


def test_support_sends_a_failed_delivery_again_and_it_arrives(
    operator_client, failed_delivery, webhook_receiver, committed
):
    client = operator_client(*RESEND_SCOPES)

    with committed():
        run = action_run(
            client,
            f"{ADMIN}/webhookdelivery/",
            "resend",
            [failed_delivery],
            request_id="resend-1",
        )

    assert b"Send the selected failed deliveries again?" in run.confirmation.content
    assert b"queued again." in run.done.content
    failed_delivery.refresh_from_db()
    assert (failed_delivery.status, failed_delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)
    assert [r.headers["webhook-id"] for r in webhook_receiver.requests] == [str(failed_delivery.id)]
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.target_id, entry.request_id) == (
        signed_in_user(client).username,
        "notifications.webhook.resend",
        str(failed_delivery.id),
        "resend-1",
    )
    assert (entry.before["status"], entry.after["status"]) == ("FAILED", "PENDING")
    assert entry.after["max_attempts"] == 1 + settings.WEBHOOK_MAX_ATTEMPTS


def test_a_delivery_that_has_not_failed_is_not_sent_again(operator_client, webhook_receiver):
    client = operator_client(*RESEND_SCOPES)
    pending = WebhookDeliveryFactory()

    run = action_run(client, f"{ADMIN}/webhookdelivery/", "resend", [pending])

    assert NOT_FAILED.encode() in run.done.content
    assert AuditEntry.objects.get().refusal == NOT_FAILED


def test_support_without_resend_is_neither_offered_nor_allowed_it(
    operator_client, failed_delivery, committed
):
    client = operator_client(*SUPPORT_SCOPES)

    listing = client.get(f"{ADMIN}/webhookdelivery/")
    with committed():
        action_run(client, f"{ADMIN}/webhookdelivery/", "resend", [failed_delivery])

    assert b'value="resend"' not in listing.content
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == DeliveryStatus.FAILED
    assert not AuditEntry.objects.exists()


def test_manage_any_disables_a_failing_endpoint_as_the_api_does(operator_client):
    client = operator_client(*MANAGE_ANY_SCOPES)
    endpoint = WebhookEndpointFactory()

    run = action_run(
        client, f"{ADMIN}/webhookendpoint/", "disable", [endpoint], request_id="disable-1"
    )

    assert b"Disable the selected endpoints?" in run.confirmation.content
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.before, entry.after, entry.request_id) == (
        "notifications.webhook.disable",
        {"is_active": True},
        {"is_active": False},
        "disable-1",
    )


def test_support_cannot_disable_an_endpoint(operator_client):
    client = operator_client(*RESEND_SCOPES, "notifications.webhook.manage")
    endpoint = WebhookEndpointFactory()

    refused = client.post(
        f"{ADMIN}/webhookendpoint/",
        {"action": "disable", "_selected_action": [str(endpoint.id)], "confirmed": "yes"},
    )

    assert refused.status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert not AuditEntry.objects.exists()


def test_a_delivery_payload_is_shown_pretty_printed_and_read_only(operator_client):
    client = operator_client(*RESEND_SCOPES)
    delivery = WebhookDeliveryFactory(payload={"type": "order.confirmed", "data": {"total": "9"}})

    page = client.get(f"{ADMIN}/webhookdelivery/{delivery.id}/change/").content.decode()

    assert '<pre class="mercato-json">{\n  &quot;data&quot;: {\n    &quot;total&quot;' in page
    assert 'name="payload"' not in page


def test_the_links_an_order_gives_list_its_notifications_and_deliveries_alone(operator_client):
    client = operator_client(*SUPPORT_SCOPES)
    order_id, other_order_id = uuid.uuid4(), uuid.uuid4()
    notification = NotificationFactory(order_id=order_id)
    other_notification = NotificationFactory(order_id=other_order_id)
    endpoint = WebhookEndpointFactory()
    delivery, other_delivery = (
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=uuid.uuid4(),
            event_type="order.created",
            payload={"type": "order.created", "data": {"order_id": str(about)}},
            max_attempts=1,
        )
        for about in (order_id, other_order_id)
    )

    notifications = client.get(NOTIFICATIONS_OF_ORDER.path(order_id)).content.decode()
    deliveries = client.get(WEBHOOK_DELIVERIES_OF_ORDER.path(order_id)).content.decode()

    assert notification.subject in notifications
    assert f"/{notification.id}/change/" in notifications
    assert f"/{other_notification.id}/change/" not in notifications
    assert f"/{delivery.id}/change/" in deliveries
    assert f"/{other_delivery.id}/change/" not in deliveries
    assert f'<a href="{ORDER.path(order_id)}">{order_id}</a>' in deliveries


def test_an_endpoint_names_its_owner_by_the_recipients_email(operator_client):
    client = operator_client("notifications.admin.access", "notifications.webhook.manage_any")
    owner = RecipientFactory()
    WebhookEndpointFactory(owner_id=str(owner.user_id))

    listed = client.get(f"{ADMIN}/webhookendpoint/").content.decode()

    assert owner.email in listed
    assert str(owner.user_id) not in listed
