"""The client behind the proxies: the entry the nearest proxy appended to X-Forwarded-For, never
what the client wrote there, and the same address for the throttles and the request logs."""

import logging
import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from common.proxies import client_address

PROXY = "10.0.0.5"
CLIENT = "198.51.100.7"
FORGED = "203.0.113.9"


@pytest.fixture
def proxies(settings):
    """`proxies(n)`: the services run with NUM_PROXIES=n; DRF reloads its settings on the change."""

    def trust(count: int) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return trust


def request_from(*, forwarded_for: str | None):
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)


def test_behind_one_proxy_the_client_is_the_entry_that_proxy_appended(proxies):
    proxies(1)

    assert client_address(request_from(forwarded_for=f"{FORGED}, {CLIENT}")) == CLIENT
    assert client_address(request_from(forwarded_for=CLIENT)) == CLIENT


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(proxies):
    proxies(2)

    assert client_address(request_from(forwarded_for=f"{FORGED}, {CLIENT}, {PROXY}")) == CLIENT


def test_a_request_without_x_forwarded_for_is_the_connections_own(proxies):
    proxies(1)

    assert client_address(request_from(forwarded_for=None)) == PROXY


def test_without_proxies_x_forwarded_for_is_ignored(proxies):
    proxies(0)

    assert client_address(request_from(forwarded_for=f"{FORGED}, {CLIENT}")) == PROXY


@pytest.fixture
def strict_anonymous_rate(monkeypatch):
    """Two anonymous requests a minute, counted for an address no earlier run has used."""
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    cache.delete(f"throttle_anon_{address}")
    yield address
    cache.delete(f"throttle_anon_{address}")


def test_forging_x_forwarded_for_does_not_escape_the_anonymous_throttle(
    client, db, proxies, strict_anonymous_rate
):
    proxies(1)
    statuses = [
        client.get(
            "/catalog/api/v1/products/",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {strict_anonymous_rate}",
            REMOTE_ADDR=PROXY,
        ).status_code
        for attempt in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_the_request_log_names_the_client_the_throttles_see(client, proxies, caplog):
    proxies(1)
    # A probe's lines are logged at DEBUG (common.observability.logging.routine).
    caplog.set_level(logging.DEBUG, logger="django_structlog")

    client.get("/healthz/live", HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}", REMOTE_ADDR=PROXY)

    logged = [
        record.msg
        for record in caplog.records
        if record.name.startswith("django_structlog") and isinstance(record.msg, dict)
    ]
    assert {line["event"] for line in logged} >= {"request_started", "request_finished"}
    assert {line["ip"] for line in logged} == {CLIENT}
