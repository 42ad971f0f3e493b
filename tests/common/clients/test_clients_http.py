"""The service client: retries that stay bounded, one exception for no answer, and a breaker."""

import pytest

from common.clients.catalog import PRICES_PATH
from common.clients.http import ServiceClient, ServiceUnavailable
from common.testing.orders import closed_port

TIMEOUT = (0.5, 1.0)


@pytest.fixture
def client(catalog_stub) -> ServiceClient:
    """A client of its own, so the shared catalog breaker is not what these tests trip."""
    return ServiceClient(service="catalog", url_setting="CATALOG_URL", fail_max=3, reset_timeout=30)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_502_503_or_504_on_a_get_is_retried_once(client, catalog_stub, status):
    catalog_stub.failures = [status]

    response = client.get(PRICES_PATH, params={"ids": ""}, timeout=TIMEOUT)

    assert response.status_code == 200
    assert len(catalog_stub.price_requests()) == 2


def test_a_500_is_not_retried(client, catalog_stub):
    catalog_stub.failures = [500]

    with pytest.raises(ServiceUnavailable, match="answered 500"):
        client.get(PRICES_PATH, timeout=TIMEOUT)

    assert len(catalog_stub.price_requests()) == 1


def test_retries_are_bounded_and_end_in_service_unavailable(client, catalog_stub):
    catalog_stub.failures = [502, 504, 503]

    with pytest.raises(ServiceUnavailable, match="answered 504"):
        client.get(PRICES_PATH, timeout=TIMEOUT)

    assert len(catalog_stub.price_requests()) == 2


def test_a_post_is_not_repeated_after_a_503(client, catalog_stub):
    catalog_stub.failures = [503]

    with pytest.raises(ServiceUnavailable):
        client.post(PRICES_PATH, json={}, timeout=TIMEOUT)

    assert len(catalog_stub.price_requests()) == 1


def test_a_4xx_is_the_callers_to_read_and_does_not_count_against_the_breaker(client, catalog_stub):
    for _ in range(client.breaker.fail_max + 1):
        catalog_stub.failures = [404]
        assert client.get(PRICES_PATH, timeout=TIMEOUT).status_code == 404

    assert client.breaker.current_state == "closed"


def test_a_refused_connection_is_service_unavailable(client, settings):
    settings.CATALOG_URL = f"http://127.0.0.1:{closed_port()}"

    with pytest.raises(ServiceUnavailable, match="ConnectionError"):
        client.get(PRICES_PATH, timeout=TIMEOUT)


def test_a_slow_answer_times_out_as_service_unavailable(client, catalog_stub):
    catalog_stub.delay = 0.5

    with pytest.raises(ServiceUnavailable):
        client.get(PRICES_PATH, timeout=(0.5, 0.1))

    # A read timeout is not retried: the request may already be running on the other side.
    assert len(catalog_stub.price_requests()) == 1


def test_the_breaker_opens_after_fail_max_failures_and_then_refuses_without_calling(
    client, catalog_stub
):
    catalog_stub.failures = [500] * client.breaker.fail_max

    for _ in range(client.breaker.fail_max):
        with pytest.raises(ServiceUnavailable):
            client.get(PRICES_PATH, timeout=TIMEOUT)
    asked = len(catalog_stub.price_requests())
    with pytest.raises(ServiceUnavailable, match="circuit breaker is open"):
        client.get(PRICES_PATH, timeout=TIMEOUT)

    assert client.breaker.current_state == "open"
    assert len(catalog_stub.price_requests()) == asked


def test_a_half_open_breaker_closes_again_on_success(client, catalog_stub):
    client.breaker.open()
    client.breaker.half_open()

    client.get(PRICES_PATH, params={"ids": ""}, timeout=TIMEOUT)

    assert client.breaker.current_state == "closed"
