"""The service client: retries that stay bounded, one exception for no answer, and a breaker."""

import pytest
import structlog

from common.clients.catalog import PRICES_PATH
from common.clients.http import ServiceClient, ServiceUnavailable
from common.testing.servers import free_port

TIMEOUT = (0.5, 1.0)
PRICES = (200, {"results": []})


@pytest.fixture
def service_client(http_stub, settings) -> ServiceClient:
    """A client of its own, so the shared catalog breaker is not what these tests trip, of a
    catalog that answers an empty price list unless a test scripts otherwise."""
    settings.CATALOG_URL = http_stub.url()
    http_stub.on(None, PRICES_PATH, PRICES)
    return ServiceClient(service="catalog", url_setting="CATALOG_URL", fail_max=3, reset_timeout=30)


def fail(http_stub, *statuses: int) -> None:
    """Answers the next requests for prices with `statuses`, then with prices again."""
    http_stub.on(None, PRICES_PATH, *[(status, None) for status in statuses], PRICES)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_502_503_or_504_on_a_get_is_retried_once(service_client, http_stub, status):
    fail(http_stub, status)

    response = service_client.get(PRICES_PATH, params={"ids": ""}, timeout=TIMEOUT)

    assert response.status_code == 200
    assert len(http_stub.received(PRICES_PATH)) == 2


def test_a_500_is_not_retried(service_client, http_stub):
    fail(http_stub, 500)

    with pytest.raises(ServiceUnavailable, match="answered 500"):
        service_client.get(PRICES_PATH, timeout=TIMEOUT)

    assert len(http_stub.received(PRICES_PATH)) == 1


def test_retries_are_bounded_and_end_in_service_unavailable(service_client, http_stub):
    fail(http_stub, 502, 504, 503)

    with pytest.raises(ServiceUnavailable, match="answered 504"):
        service_client.get(PRICES_PATH, timeout=TIMEOUT)

    assert len(http_stub.received(PRICES_PATH)) == 2


def test_a_post_is_not_repeated_after_a_503(service_client, http_stub):
    fail(http_stub, 503)

    with pytest.raises(ServiceUnavailable):
        service_client.post(PRICES_PATH, json={}, timeout=TIMEOUT)

    assert len(http_stub.received(PRICES_PATH)) == 1


def test_a_4xx_is_the_callers_to_read_and_does_not_count_against_the_breaker(
    service_client, http_stub
):
    for _ in range(service_client.breaker.fail_max + 1):
        fail(http_stub, 404)
        assert service_client.get(PRICES_PATH, timeout=TIMEOUT).status_code == 404

    assert service_client.breaker.current_state == "closed"


def test_a_refused_connection_is_service_unavailable(service_client, settings):
    settings.CATALOG_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(ServiceUnavailable, match="ConnectionError"):
        service_client.get(PRICES_PATH, timeout=TIMEOUT)


def test_a_slow_answer_times_out_as_service_unavailable(service_client, http_stub):
    http_stub.delay = 0.5

    with pytest.raises(ServiceUnavailable):
        service_client.get(PRICES_PATH, timeout=(0.5, 0.1))

    # A read timeout is not retried: the request may already be running on the other side.
    assert len(http_stub.received(PRICES_PATH)) == 1


def test_the_breaker_opens_after_fail_max_failures_and_then_refuses_without_calling(
    service_client, http_stub
):
    fail(http_stub, *[500] * service_client.breaker.fail_max)

    for _ in range(service_client.breaker.fail_max):
        with pytest.raises(ServiceUnavailable):
            service_client.get(PRICES_PATH, timeout=TIMEOUT)
    asked = len(http_stub.received(PRICES_PATH))
    with pytest.raises(ServiceUnavailable, match="circuit breaker is open"):
        service_client.get(PRICES_PATH, timeout=TIMEOUT)

    assert service_client.breaker.current_state == "open"
    assert len(http_stub.received(PRICES_PATH)) == asked


def test_a_half_open_breaker_closes_again_on_success(service_client, http_stub):
    service_client.breaker.open()
    service_client.breaker.half_open()

    service_client.get(PRICES_PATH, params={"ids": ""}, timeout=TIMEOUT)

    assert service_client.breaker.current_state == "closed"


def test_a_call_carries_the_correlation_id_of_the_work_it_serves(service_client, http_stub):
    with structlog.contextvars.bound_contextvars(request_id="r-1", correlation_id="order-42"):
        service_client.get(PRICES_PATH, timeout=TIMEOUT, headers={"Accept": "application/json"})

    (received,) = http_stub.received(PRICES_PATH)
    assert received.headers["x-correlation-id"] == "order-42"
    assert received.headers["accept"] == "application/json"
    assert "x-request-id" not in received.headers


def test_a_call_outside_any_request_or_task_sends_no_correlation_id(service_client, http_stub):
    structlog.contextvars.clear_contextvars()

    service_client.get(PRICES_PATH, timeout=TIMEOUT)

    (received,) = http_stub.received(PRICES_PATH)
    assert "x-correlation-id" not in received.headers
