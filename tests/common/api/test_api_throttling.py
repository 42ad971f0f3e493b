"""The throttles count each caller once per request, in Redis, and refuse past the rate with a
429 saying when to come back: anonymous callers by address, callers with a token by subject."""

import uuid

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db

URL = "/catalog/api/v1/products/"


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "anon": "2/minute", "user": "2/minute"},
    )


def test_a_token_past_its_rate_is_a_429_with_retry_after(api_client, token_minter, two_a_minute):
    subject = str(uuid.uuid4())
    headers = token_minter.authorization(subject=subject)

    statuses = [api_client.get(URL, **headers).status_code for _ in range(3)]
    refused = api_client.get(URL, **headers)
    cache.delete(f"throttle_user_{subject}")

    assert statuses == [200, 200, 429]
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_another_token_is_counted_apart(api_client, token_minter, two_a_minute):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    for _ in range(2):
        api_client.get(URL, **token_minter.authorization(subject=first))

    response = api_client.get(URL, **token_minter.authorization(subject=second))
    cache.delete_many([f"throttle_user_{first}", f"throttle_user_{second}"])

    assert response.status_code == 200


def test_an_anonymous_address_past_its_rate_is_a_429(api_client, two_a_minute):
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    cache.delete(f"throttle_anon_{address}")

    statuses = [api_client.get(URL, REMOTE_ADDR=address).status_code for _ in range(3)]
    cache.delete(f"throttle_anon_{address}")

    assert statuses == [200, 200, 429]
