"""Request ids: a sane caller id is echoed, anything else is replaced by a fresh uuid."""

import logging
import uuid

import pytest


def assert_is_fresh_uuid(value: str) -> None:
    assert uuid.UUID(value).version == 4


@pytest.mark.parametrize(
    "offered", ["trace-me-1", "0af7651916cd43dd8448eb211c80319c", "a.b:c_d-e", "x" * 128]
)
def test_a_sane_request_id_is_echoed(client, offered):
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID=offered)

    assert response["X-Request-ID"] == offered


def test_a_missing_request_id_is_replaced_by_a_uuid(client):
    response = client.get("/healthz/live")

    assert_is_fresh_uuid(response["X-Request-ID"])


def test_every_request_without_an_id_gets_a_different_one(client):
    first = client.get("/healthz/live")["X-Request-ID"]
    second = client.get("/healthz/live")["X-Request-ID"]

    assert first != second


@pytest.mark.parametrize(
    "offered",
    ["has space", "<script>", "line\r\nX-Injected: 1", "x" * 129, "ünïcode", "semi;colon"],
)
def test_an_unacceptable_request_id_is_replaced_by_a_uuid(client, offered):
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID=offered)

    assert_is_fresh_uuid(response["X-Request-ID"])


@pytest.mark.parametrize("offered", ["trace-me-2", "not acceptable!"])
def test_the_response_header_matches_the_problem_bodys_request_id(client, offered):
    response = client.get("/no/such/route/", HTTP_X_REQUEST_ID=offered)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["request_id"] == response["X-Request-ID"]


@pytest.mark.parametrize("offered", ["checkout-7f3a", "a.b:c_d-e"])
def test_a_sane_correlation_id_is_echoed_beside_a_request_id_of_its_own(client, offered):
    response = client.get("/healthz/live", HTTP_X_CORRELATION_ID=offered)

    assert response["X-Correlation-ID"] == offered
    assert_is_fresh_uuid(response["X-Request-ID"])


def test_without_a_correlation_id_the_request_id_is_the_correlation_id(client):
    offered = client.get("/healthz/live", HTTP_X_REQUEST_ID="trace-me-3")
    fresh = client.get("/healthz/live")

    assert offered["X-Correlation-ID"] == "trace-me-3"
    assert fresh["X-Correlation-ID"] == fresh["X-Request-ID"]


@pytest.mark.parametrize("offered", ["has space", "line\r\nX-Injected: 1", "x" * 129])
def test_an_unacceptable_correlation_id_is_replaced_by_the_request_id(client, offered):
    response = client.get("/healthz/live", HTTP_X_CORRELATION_ID=offered)

    assert response["X-Correlation-ID"] == response["X-Request-ID"]


def test_every_line_of_a_request_carries_its_request_and_correlation_ids(client, caplog):
    # A probe's lines are logged at DEBUG (common.observability.logging.routine).
    caplog.set_level(logging.DEBUG, logger="django_structlog")
    response = client.get(
        "/healthz/live", HTTP_X_REQUEST_ID="req-9", HTTP_X_CORRELATION_ID="order-9"
    )

    assert response.status_code == 200
    lines = [record.msg for record in caplog.records if isinstance(record.msg, dict)]
    assert [line["event"] for line in lines] == ["request_started", "request_finished"]
    for line in lines:
        assert (line["request_id"], line["correlation_id"]) == ("req-9", "order-9"), line
