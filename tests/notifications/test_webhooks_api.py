"""`/notifications/api/v1/webhooks/`: customers manage their own endpoints, nobody else's, and
only public http(s) URLs, and send a delivery that failed for good again."""

import base64
import uuid

import pytest

from apps.notifications.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.notifications.conftest import WEBHOOK_TARGET
from tests.notifications.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

WEBHOOKS_URL = "/notifications/api/v1/webhooks/"
PUBLIC_URL = "https://93.184.215.14/hooks"


def detail_url(endpoint_id) -> str:
    return f"{WEBHOOKS_URL}{endpoint_id}/"


def test_a_customer_creates_an_endpoint_they_own_and_sees_its_secret_once_in_the_answer(
    api_client, customer_headers, customer_id
):
    response = api_client.post(
        WEBHOOKS_URL,
        {"url": PUBLIC_URL, "event_types": ["order.confirmed", "order.created", "order.confirmed"]},
        **customer_headers,
    )

    body = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 201
    assert body["id"] == str(endpoint.id)
    assert (body["owner_id"], body["url"], body["is_active"]) == (customer_id, PUBLIC_URL, True)
    assert body["event_types"] == ["order.confirmed", "order.created"]
    assert body["secret"] == endpoint.secret
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) >= 24


def test_the_list_shows_only_the_callers_endpoints_and_no_secrets(
    api_client, customer_headers, customer_id
):
    own = WebhookEndpointFactory(owner_id=customer_id)
    WebhookEndpointFactory()

    response = api_client.get(WEBHOOKS_URL, **customer_headers)

    (listed,) = response.json()["results"]
    assert listed["id"] == str(own.id)
    assert "secret" not in listed


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_costs_the_same_queries_whatever_the_page_holds(
    api_client, customer_headers, customer_id, django_assert_num_queries, count
):
    WebhookEndpointFactory.create_batch(count, owner_id=customer_id)

    with django_assert_num_queries(1):  # the page with its count
        response = api_client.get(WEBHOOKS_URL, **customer_headers)

    assert response.json()["count"] == count


def test_the_owner_reads_the_detail_with_its_secret(api_client, customer_headers, customer_id):
    endpoint = WebhookEndpointFactory(owner_id=customer_id)

    response = api_client.get(detail_url(endpoint.id), **customer_headers)

    assert response.status_code == 200
    assert response.json()["secret"] == endpoint.secret


def test_patch_changes_the_subscription_and_deactivates(api_client, customer_headers, customer_id):
    endpoint = WebhookEndpointFactory(owner_id=customer_id)

    response = api_client.patch(
        detail_url(endpoint.id),
        {"event_types": ["order.refunded"], "is_active": False},
        **customer_headers,
    )

    endpoint.refresh_from_db()
    assert response.status_code == 200
    assert (endpoint.event_types, endpoint.is_active) == (["order.refunded"], False)
    assert endpoint.url == "https://hooks.example.com/mercato"


def test_delete_removes_the_endpoint(api_client, customer_headers, customer_id):
    endpoint = WebhookEndpointFactory(owner_id=customer_id)

    response = api_client.delete(detail_url(endpoint.id), **customer_headers)

    assert response.status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_manage_any_reads_and_changes_anyones_endpoint(api_client, token_minter):
    endpoint = WebhookEndpointFactory()
    admin = token_minter.authorization(scopes=["notifications.webhook.manage_any"])

    listed = api_client.get(WEBHOOKS_URL, **admin)
    changed = api_client.patch(detail_url(endpoint.id), {"is_active": False}, **admin)

    assert listed.json()["count"] == 1
    assert changed.status_code == 200
    assert changed.json()["is_active"] is False


def test_without_the_manage_scope_webhooks_are_403(api_client, token_minter):
    reader = token_minter.authorization(scopes=["notifications.notification.read"])

    response = api_client.post(
        WEBHOOKS_URL, {"url": PUBLIC_URL, "event_types": ["order.created"]}, **reader
    )

    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "not a url", "event_types": ["order.created"]}, "url"),
        ({"url": PUBLIC_URL, "event_types": []}, "event_types"),
        ({"url": PUBLIC_URL, "event_types": ["order.payment_requested"]}, "event_types.0"),
        ({"url": PUBLIC_URL, "event_types": ["webhook.ping"]}, "event_types.0"),
        ({"event_types": ["order.created"]}, "url"),
        ({"url": f"{PUBLIC_URL}/{'é' * 10_000}", "event_types": ["order.created"]}, "url"),
        ({"url": f"{PUBLIC_URL}/\x00", "event_types": ["order.created"]}, "url"),
        ({"url": PUBLIC_URL, "event_types": ["order.created\x00"]}, "event_types.0"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_client, customer_headers, payload, field):
    response = api_client.post(WEBHOOKS_URL, payload, **customer_headers)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_private_targets_are_accepted_when_the_setting_allows_them(
    api_client, customer_headers, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True

    response = api_client.post(
        WEBHOOKS_URL,
        {"url": "http://localhost:9000/hooks", "event_types": ["order.created"]},
        **customer_headers,
    )

    assert response.status_code == 201


def test_the_allow_setting_still_refuses_other_schemes(api_client, customer_headers, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True

    response = api_client.post(
        WEBHOOKS_URL,
        {"url": "file:///etc/passwd", "event_types": ["order.created"]},
        **customer_headers,
    )

    assert response.status_code == 400
    assert "url" in response.json()["errors"]


def test_an_unknown_endpoint_id_is_a_404(api_client, customer_headers):
    assert api_client.get(detail_url(uuid.uuid4()), **customer_headers).status_code == 404


def resend_url(delivery) -> str:
    return f"{WEBHOOKS_URL}{delivery.endpoint_id}/deliveries/{delivery.id}/resend/"


def failed_to(endpoint) -> WebhookDelivery:
    return WebhookDeliveryFactory(
        endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=1, next_attempt_at=None
    )


def test_the_owner_sends_a_failed_delivery_again_and_it_arrives_under_its_id(
    api_client, customer_headers, customer_id, webhook_receiver, committed, settings
):
    delivery = failed_to(
        WebhookEndpointFactory(owner_id=customer_id, url=webhook_receiver.url(WEBHOOK_TARGET))
    )

    with committed():
        response = api_client.post(resend_url(delivery), **customer_headers)

    body = response.json()
    assert response.status_code == 202, body
    assert (body["id"], body["status"]) == (str(delivery.id), "PENDING")
    assert body["max_attempts"] == 1 + settings.WEBHOOK_MAX_ATTEMPTS
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)
    assert [r.headers["webhook-id"] for r in webhook_receiver.requests] == [str(delivery.id)]


@pytest.mark.parametrize(
    ("status", "endpoint_active", "problem"),
    [
        (DeliveryStatus.PENDING, True, "delivery_not_failed"),
        (DeliveryStatus.SUCCEEDED, True, "delivery_not_failed"),
        (DeliveryStatus.FAILED, False, "endpoint_inactive"),
    ],
)
def test_only_a_failed_delivery_to_an_active_endpoint_is_sent_again(
    api_client, customer_headers, customer_id, status, endpoint_active, problem
):
    endpoint = WebhookEndpointFactory(owner_id=customer_id, is_active=endpoint_active)
    delivery = WebhookDeliveryFactory(endpoint=endpoint, status=status, next_attempt_at=None)

    response = api_client.post(resend_url(delivery), **customer_headers)

    assert response.status_code == 409, response.content
    assert response.json()["type"] == f"urn:mercato:problem:{problem}"
    delivery.refresh_from_db()
    assert delivery.status == status


def test_a_delivery_is_sent_again_only_under_its_own_endpoint(
    api_client, customer_headers, customer_id
):
    delivery = failed_to(WebhookEndpointFactory(owner_id=customer_id))
    other_endpoint = WebhookEndpointFactory(owner_id=customer_id)

    response = api_client.post(
        f"{WEBHOOKS_URL}{other_endpoint.id}/deliveries/{delivery.id}/resend/", **customer_headers
    )

    assert response.status_code == 404, response.content
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
