"""Idempotency-Key on placement: replays, a reused key, failures that store nothing, races."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from apps.orders.models import IdempotencyKey, Order
from apps.orders.tasks import idempotency_keys_expire_task
from tests.orders.conftest import ORDERS_URL

KEY = "checkout-7f3c"


@pytest.fixture
def tea_id(catalog_stub):
    product_id = uuid.uuid4()
    catalog_stub.add(product_id, price="7.20")
    return product_id


def order_body(product_id, quantity: int = 1) -> dict:
    return {
        "lines": [{"product_id": str(product_id), "quantity": quantity}],
        "payment_method": "pm_card_ok",
    }


def post(client, caller, body: dict, key: str = KEY):
    return client.post(ORDERS_URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key, **caller.headers)


@pytest.mark.django_db
def test_the_same_key_and_body_replays_the_first_answer(api_client, customer, tea_id, catalog_stub):
    first = post(api_client, customer, order_body(tea_id))
    again = post(api_client, customer, order_body(tea_id))

    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Order.objects.count() == 1
    assert len(catalog_stub.price_requests()) == 1


@pytest.mark.django_db
def test_key_order_and_spacing_of_the_body_do_not_matter(api_client, customer, tea_id):
    first = post(api_client, customer, order_body(tea_id))
    reordered = api_client.post(
        ORDERS_URL,
        f'{{ "payment_method": "pm_card_ok",\n'
        f'  "lines": [{{"quantity": 1, "product_id": "{tea_id}"}}] }}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=KEY,
        **customer.headers,
    )

    assert reordered.json()["id"] == first.json()["id"]


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_422(api_client, customer, tea_id):
    post(api_client, customer, order_body(tea_id))

    response = post(api_client, customer, order_body(tea_id, quantity=2))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:idempotency_key_reused"
    assert list(response.json()["errors"]) == ["Idempotency-Key"]
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_customer(api_client, customer, caller, tea_id):
    other = caller("orders.order.create")

    mine = post(api_client, customer, order_body(tea_id))
    theirs = post(api_client, other, order_body(tea_id))

    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]


@pytest.mark.django_db
@pytest.mark.parametrize(("failure", "failed_status"), [("bad input", 400), ("catalog down", 503)])
def test_a_failed_request_stores_no_key_so_a_retry_with_it_succeeds(
    api_client, customer, tea_id, catalog_stub, failure, failed_status
):
    if failure == "catalog down":
        catalog_stub.fail(503, 503)
        failed = post(api_client, customer, order_body(tea_id))
    else:
        failed = post(api_client, customer, order_body(tea_id, quantity=0))

    retried = post(api_client, customer, order_body(tea_id))

    assert failed.status_code == failed_status
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert IdempotencyKey.objects.count() == Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_key_create_one_order(customer, tea_id, catalog_stub):
    # The first holds the key's lock while catalog answers; the second must wait, then replay.
    catalog_stub.stub.delay = 0.3
    # Loads the token keys first: a cold key set can refuse a token that races its first load.
    assert APIClient().get(ORDERS_URL, **customer.headers).status_code == 200
    start = threading.Barrier(2)
    responses = []

    def place() -> None:
        try:
            start.wait()
            responses.append(post(APIClient(), customer, order_body(tea_id)))
        finally:
            connection.close()

    threads = [threading.Thread(target=place) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [response.status_code for response in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sorted(response.has_header("Idempotent-Replayed") for response in responses) == [
        False,
        True,
    ]
    assert Order.objects.count() == 1
    assert len(catalog_stub.price_requests()) == 1


@pytest.mark.django_db
def test_keys_expire_after_a_day(api_client, customer, tea_id):
    post(api_client, customer, order_body(tea_id))
    post(api_client, customer, order_body(tea_id), key="fresh")
    IdempotencyKey.objects.filter(key=KEY).update(created_at=timezone.now() - timedelta(hours=25))

    removed = idempotency_keys_expire_task()

    assert removed == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


@pytest.mark.django_db
def test_an_expired_key_not_yet_swept_places_a_new_order(api_client, customer, tea_id):
    first = post(api_client, customer, order_body(tea_id))
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = post(api_client, customer, order_body(tea_id, quantity=2))

    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]
