"""Each target's circuit breaker is a gauge: 0 closed, 1 half-open, 2 open, as calls meet it."""

import pytest

from common.clients.catalog import PRICES_PATH
from common.clients.http import ServiceClient, ServiceUnavailable
from common.observability.metrics import breakers_refreshed
from common.testing.metrics import metric_value

TARGET = "breaker-metrics"
TIMEOUT = (0.5, 1.0)


def state() -> float:
    return metric_value("mercato_circuit_breaker_state", target=TARGET)


def test_the_gauge_follows_the_breaker_from_closed_to_open_half_open_and_closed(
    http_stub, settings
):
    settings.CATALOG_URL = http_stub.url()
    http_stub.on(None, PRICES_PATH, (503, None), (200, {"results": []}))
    # No wait before probing again: the open breaker is half-open as soon as it is looked at.
    client = ServiceClient(
        service=TARGET, url_setting="CATALOG_URL", retries=0, fail_max=1, reset_timeout=0
    )
    assert state() == 0

    with pytest.raises(ServiceUnavailable):
        client.get(PRICES_PATH, timeout=TIMEOUT)
    assert state() == 2

    breakers_refreshed()
    assert state() == 1

    client.get(PRICES_PATH, timeout=TIMEOUT)
    assert state() == 0
