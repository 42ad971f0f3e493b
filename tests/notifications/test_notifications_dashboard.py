"""notifications' dashboard: the webhook endpoints whose deliveries fail, counted in SQL, shown on
the admin index to operators who read every notification, at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notifications.models import DeliveryStatus, WebhookDelivery
from apps.notifications.selectors import EndpointFailures, webhook_failures_by_endpoint
from common.testing.admin import admin_index, dashboard_with_more_rows
from tests.notifications.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

# Failures by endpoint, one query.
PANEL_QUERIES = 1


def test_failed_and_retrying_deliveries_are_counted_by_endpoint_most_failed_first():
    flaky = WebhookEndpointFactory(url="https://flaky.example.com/hook")
    down = WebhookEndpointFactory(url="https://down.example.com/hook", is_active=False)
    WebhookDeliveryFactory.create_batch(2, endpoint=down, status=DeliveryStatus.FAILED)
    WebhookDeliveryFactory(endpoint=flaky, status=DeliveryStatus.FAILED)
    WebhookDeliveryFactory(endpoint=flaky, status=DeliveryStatus.PENDING, attempts=1)
    WebhookDeliveryFactory(endpoint=flaky, status=DeliveryStatus.PENDING, attempts=0)
    WebhookDeliveryFactory(endpoint=flaky, status=DeliveryStatus.SUCCEEDED, attempts=1)
    old = WebhookDeliveryFactory(endpoint=flaky, status=DeliveryStatus.FAILED)
    WebhookDelivery.objects.filter(id=old.id).update(created_at=timezone.now() - timedelta(days=9))

    endpoints = webhook_failures_by_endpoint(since=timezone.now() - timedelta(days=7), limit=8)

    assert endpoints == [
        EndpointFailures(url=down.url, is_active=False, failed=2, retrying=0),
        EndpointFailures(url=flaky.url, is_active=True, failed=1, retrying=1),
    ]


def test_the_index_shows_the_panel_at_the_same_number_of_queries_for_more_deliveries(
    operator_client,
):
    endpoint = WebhookEndpointFactory(url="https://down.example.com/hook")
    WebhookDeliveryFactory(endpoint=endpoint, status=DeliveryStatus.FAILED)

    def more_rows() -> None:
        for _ in range(10):
            WebhookDeliveryFactory(status=DeliveryStatus.FAILED)
            WebhookDeliveryFactory(endpoint=endpoint, status=DeliveryStatus.FAILED)

    page = dashboard_with_more_rows(
        operator_client,
        "notifications.notification.read_any",
        more_rows=more_rows,
        panel_queries=PANEL_QUERIES,
    )

    assert "Webhook delivery failures by endpoint" in page
    assert "<title>https://down.example.com/hook: 11</title>" in page


def test_the_panel_is_hidden_from_an_operator_who_cannot_read_every_notification(
    operator_client,
):
    client = operator_client("notifications.admin.access", "notifications.webhook.manage")

    _, page = admin_index(client)

    assert "Webhook delivery failures" not in page
    assert 'class="dashboard-panels"' not in page
