"""Webhook deliveries: signed per Standard Webhooks, to the customer's own endpoints only, retried
with a logged attempt each, and checked against private addresses again at delivery time."""

import json
import uuid

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from apps.notifications.models import DeliveryStatus, WebhookDelivery
from apps.notifications.services import WEBHOOK_DELIVERY_ATTEMPT_TASK, webhook_delivery_attempt
from apps.notifications.tasks import webhook_deliveries_sweep_task, webhook_delivery_attempt_task
from common.events.models import DeadLetter
from common.testing.celery import broker_unreachable, tasks_sent
from common.testing.events import deliver, event_data
from common.testing.servers import free_port
from tests.notifications.conftest import WEBHOOK_TARGET
from tests.notifications.factories import RecipientFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def customer_known(customer_id):
    """The customer is in the directory, so their order e-mails go out beside the webhooks."""
    return RecipientFactory(user_id=customer_id)


@pytest.fixture
def endpoint(webhook_receiver, customer_id):
    return WebhookEndpointFactory(owner_id=customer_id, url=webhook_receiver.url(WEBHOOK_TARGET))


def deliver_order_event(event_type: str, customer_id, capture, *, times: int = 1) -> dict:
    """Delivers the event and runs what its handlers queued after commit (the delivery task)."""
    with capture(execute=True):
        return deliver(
            event_type, event_data(event_type, customer_id=str(customer_id)), times=times
        )


def test_an_order_event_reaches_the_endpoint_signed_so_standardwebhooks_verifies_it(
    endpoint, webhook_receiver, customer_id, django_capture_on_commit_callbacks
):
    envelope = deliver_order_event(
        "order.confirmed", customer_id, django_capture_on_commit_callbacks
    )

    (request,) = webhook_receiver.requests
    delivery = WebhookDelivery.objects.get()
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload == {
        "type": "order.confirmed",
        "timestamp": envelope["time"],
        "data": envelope["data"],
    }
    assert request.headers["webhook-id"] == str(delivery.id)
    assert request.headers["host"] == f"127.0.0.1:{webhook_receiver.port}"
    assert request.target == WEBHOOK_TARGET
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.SUCCEEDED,
        1,
        None,
    )
    (attempt,) = delivery.attempt_log.all()
    assert (attempt.response_status, attempt.error) == (204, "")


def test_a_tampered_body_fails_verification(
    endpoint, webhook_receiver, customer_id, django_capture_on_commit_callbacks
):
    deliver_order_event("order.created", customer_id, django_capture_on_commit_callbacks)

    (request,) = webhook_receiver.requests
    tampered = request.body.replace(b"order.created", b"order.refunded")
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, request.headers)


def test_a_duplicate_event_makes_one_delivery_per_endpoint(
    endpoint, webhook_receiver, customer_id, django_capture_on_commit_callbacks
):
    second = WebhookEndpointFactory(owner_id=customer_id, url=webhook_receiver.url(WEBHOOK_TARGET))

    deliver_order_event("order.refunded", customer_id, django_capture_on_commit_callbacks, times=2)

    assert sorted(d.endpoint_id for d in WebhookDelivery.objects.all()) == sorted(
        [endpoint.id, second.id]
    )
    assert len(webhook_receiver.requests) == 2
    assert {r.headers["webhook-id"] for r in webhook_receiver.requests} == {
        str(d.id) for d in WebhookDelivery.objects.all()
    }


def test_a_customers_endpoint_never_gets_another_customers_events(
    endpoint, webhook_receiver, django_capture_on_commit_callbacks
):
    deliver_order_event("order.confirmed", uuid.uuid4(), django_capture_on_commit_callbacks)

    assert webhook_receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_only_active_endpoints_subscribed_to_the_type_get_it(
    webhook_receiver, customer_id, django_capture_on_commit_callbacks
):
    subscribed = WebhookEndpointFactory(
        owner_id=customer_id,
        url=webhook_receiver.url(WEBHOOK_TARGET),
        event_types=["order.cancelled"],
    )
    WebhookEndpointFactory(
        owner_id=customer_id,
        url=webhook_receiver.url(WEBHOOK_TARGET),
        event_types=["order.confirmed"],
    )
    WebhookEndpointFactory(
        owner_id=customer_id, url=webhook_receiver.url(WEBHOOK_TARGET), is_active=False
    )

    deliver_order_event("order.cancelled", customer_id, django_capture_on_commit_callbacks)

    assert [d.endpoint_id for d in WebhookDelivery.objects.all()] == [subscribed.id]
    assert len(webhook_receiver.requests) == 1


def test_a_failing_endpoint_is_retried_with_a_logged_attempt_each_until_failed(
    endpoint, webhook_receiver, customer_id, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0  # each retry is due at once, and runs inline
    webhook_receiver.on("POST", None, (500, None))

    deliver_order_event("order.confirmed", customer_id, django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED,
        3,
        None,
    )
    log = list(delivery.attempt_log.all())
    assert [(a.response_status, a.error) for a in log] == [(500, "The endpoint answered 500.")] * 3
    ids = {request.headers["webhook-id"] for request in webhook_receiver.requests}
    assert (len(webhook_receiver.requests), ids) == (3, {str(delivery.id)})


def test_a_retry_that_succeeds_settles_the_delivery(
    endpoint, webhook_receiver, customer_id, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0
    webhook_receiver.on("POST", None, (503, None), (302, None), (200, None))

    deliver_order_event("order.confirmed", customer_id, django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 3)
    assert [a.response_status for a in delivery.attempt_log.all()] == [503, 302, 200]


def test_a_failed_attempt_waits_for_its_backoff_before_the_next(
    endpoint,
    webhook_receiver,
    customer_id,
    settings,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 60
    # Full jitter draws the wait from 0 to 60 s; one draw in 61 is no wait at all, so take the top.
    monkeypatch.setattr("celery.utils.time.random.randrange", lambda stop: stop - 1)
    webhook_receiver.on("POST", None, (500, None))

    deliver_order_event("order.confirmed", customer_id, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at is not None
    assert webhook_delivery_attempt(delivery_id=delivery.id) is None
    assert webhook_deliveries_sweep_task() == 0
    assert len(webhook_receiver.requests) == 1


@pytest.mark.parametrize(("backoff", "queued"), [(20, True), (100, False)])
def test_a_retry_is_queued_with_its_wait_only_if_a_worker_may_hold_it_so_long_else_swept(
    endpoint, webhook_receiver, customer_id, settings, monkeypatch, backoff, queued
):
    settings.TASK_COUNTDOWN_MAXIMUM_SECONDS = 30
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = backoff
    monkeypatch.setattr("celery.utils.time.random.randrange", lambda stop: stop - 1)
    webhook_receiver.on("POST", None, (500, None))
    deliver("order.confirmed", event_data("order.confirmed", customer_id=customer_id))
    delivery = WebhookDelivery.objects.get()

    with tasks_sent() as sent:
        webhook_delivery_attempt_task(str(delivery.id))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    retry = (WEBHOOK_DELIVERY_ATTEMPT_TASK, (str(delivery.id),), backoff)
    assert [(task.name, task.args, round(task.countdown)) for task in sent] == (
        [retry] if queued else []
    )


def test_the_sweep_sends_a_delivery_whose_queued_attempt_was_lost(
    endpoint, webhook_receiver, customer_id
):
    # Without running the on-commit callbacks the first attempt is never queued.
    deliver("order.created", event_data("order.created", customer_id=customer_id))

    assert webhook_deliveries_sweep_task() == 1

    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    assert len(webhook_receiver.requests) == 1


def test_an_event_handled_while_the_broker_is_down_keeps_its_delivery_for_the_sweep(
    endpoint, webhook_receiver, customer_id, django_capture_on_commit_callbacks
):
    with broker_unreachable():
        deliver_order_event("order.created", customer_id, django_capture_on_commit_callbacks)

    assert WebhookDelivery.objects.get().attempts == 0
    assert not DeadLetter.objects.exists()
    assert webhook_deliveries_sweep_task() == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    assert len(webhook_receiver.requests) == 1


def test_an_unreachable_endpoint_logs_the_connection_error(
    customer_id, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    WebhookEndpointFactory(owner_id=customer_id, url=f"http://127.0.0.1:{free_port()}/gone")

    deliver_order_event("order.confirmed", customer_id, django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    (attempt,) = delivery.attempt_log.all()
    assert delivery.status == DeliveryStatus.FAILED
    assert attempt.response_status is None
    assert attempt.error.startswith("NewConnectionError")


def test_ping_sends_a_signed_test_event_now_and_answers_the_attempt(
    api_client, customer_headers, endpoint, webhook_receiver, django_assert_num_queries
):
    # The endpoint, the delivery, the attempt, the settled delivery, its log (and the savepoint
    # pair around recording the attempt): nothing is read back that the request already holds.
    with django_assert_num_queries(7):
        response = api_client.post(
            f"/notifications/api/v1/webhooks/{endpoint.id}/ping/", **customer_headers
        )

    body = response.json()
    (request,) = webhook_receiver.requests
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert response.status_code == 200
    assert payload["type"] == "webhook.ping"
    assert payload["data"] == {"endpoint_id": str(endpoint.id)}
    assert (body["status"], body["attempts"], body["event_type"]) == (
        "SUCCEEDED",
        1,
        "webhook.ping",
    )
    assert body["attempt_log"][0]["response_status"] == 204


def test_ping_reports_a_failing_endpoint_without_retrying(
    api_client, customer_headers, endpoint, webhook_receiver
):
    webhook_receiver.on("POST", None, (500, None))

    response = api_client.post(
        f"/notifications/api/v1/webhooks/{endpoint.id}/ping/", **customer_headers
    )

    body = response.json()
    assert (body["status"], body["attempts"], body["next_attempt_at"]) == ("FAILED", 1, None)
    assert body["attempt_log"][0]["error"] == "The endpoint answered 500."
    assert len(webhook_receiver.requests) == 1


def test_the_delivery_log_lists_deliveries_with_their_attempts(
    api_client,
    customer_headers,
    endpoint,
    webhook_receiver,
    customer_id,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    envelope = deliver_order_event("order.created", customer_id, django_capture_on_commit_callbacks)

    response = api_client.get(
        f"/notifications/api/v1/webhooks/{endpoint.id}/deliveries/", **customer_headers
    )

    (delivery,) = response.json()["results"]
    (request,) = webhook_receiver.requests
    assert response.status_code == 200
    assert (delivery["event_type"], delivery["status"]) == ("order.created", "SUCCEEDED")
    assert delivery["id"] == request.headers["webhook-id"]
    assert delivery["payload"] == json.loads(request.body)
    assert delivery["payload"]["data"] == envelope["data"]
    assert [a["response_status"] for a in delivery["attempt_log"]] == [204]


@pytest.mark.parametrize("count", [1, 8])
def test_the_delivery_log_costs_the_same_queries_whatever_the_page_holds(
    api_client,
    customer_headers,
    endpoint,
    customer_id,
    settings,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    count,
):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0
    for _ in range(count):
        deliver_order_event("order.created", customer_id, django_capture_on_commit_callbacks)

    with django_assert_num_queries(3):  # the endpoint, the page with its count, the attempts
        response = api_client.get(
            f"/notifications/api/v1/webhooks/{endpoint.id}/deliveries/", **customer_headers
        )

    assert len(response.json()["results"]) == count
