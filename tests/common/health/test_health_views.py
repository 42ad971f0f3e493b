"""Probes: liveness never touches a dependency; readiness reports each dependency by name."""

import socket
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections

from common.clients.http import SERVICE_CLIENTS, ServiceClient
from common.testing.servers import free_port


@pytest.fixture
def silent_server():
    """A loopback TCP server that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept_forever() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)

    acceptor = threading.Thread(target=accept_forever, name="silent-server", daemon=True)
    acceptor.start()
    yield listener.getsockname()
    # Shutting the listener down wakes the blocked accept(); closing alone would not.
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()
    for connection in accepted:
        connection.close()
    acceptor.join()
    # A check left behind at the deadline now sees the connection drop; let it finish and close.
    for thread in threading.enumerate():
        if thread.name.startswith("healthz"):
            thread.join(timeout=10)


def test_live_answers_200_without_touching_the_database(client):
    # No django_db mark: any database access here would fail the test.
    response = client.get("/healthz/live")

    assert response.status_code == 200
    assert response.json() == {"status": "OK", "service": "catalog"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_answers_200_when_every_dependency_answers(client):
    response = client.get("/healthz/ready")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "OK"
    assert body["checks"] == {
        "database": {"ok": True},
        "cache": {"ok": True},
        "broker": {"ok": True},
    }


@pytest.mark.django_db
def test_ready_answers_503_naming_the_database_when_it_does_not_answer(
    client, monkeypatch, silent_server
):
    host, port = silent_server
    database = connections["default"].settings_dict
    monkeypatch.setitem(database, "HOST", host)
    monkeypatch.setitem(database, "PORT", str(port))
    # The embedded server's socket directory rides in OPTIONS and would win over HOST.
    options = {key: value for key, value in database["OPTIONS"].items() if key != "host"}
    monkeypatch.setitem(database, "OPTIONS", options)

    response = client.get("/healthz/ready")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "UNAVAILABLE"
    assert body["checks"]["database"] == {
        "ok": False,
        "error": f"no answer within {settings.DEPENDENCY_TIMEOUT_SECONDS}s",
    }
    assert body["checks"]["cache"] == {"ok": True}
    assert body["checks"]["broker"] == {"ok": True}


@pytest.mark.django_db
def test_ready_answers_503_naming_the_cache_when_its_redis_does_not_answer(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/healthz/ready")

    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["cache"]["ok"] is False
    assert "ConnectionError" in body["checks"]["cache"]["error"]
    assert body["checks"]["database"] == {"ok": True}


@pytest.fixture
def calls_only(monkeypatch):
    """Makes `client` the one client of another service this process has, for one test."""
    saved = list(SERVICE_CLIENTS)
    # The registry holds clients weakly: the test's must live as long as the test.
    kept: list[ServiceClient] = []

    def only(client: ServiceClient) -> ServiceClient:
        SERVICE_CLIENTS.clear()
        SERVICE_CLIENTS.add(client)
        kept.append(client)
        return client

    yield only
    SERVICE_CLIENTS.clear()
    for client in saved:
        SERVICE_CLIENTS.add(client)


@pytest.mark.django_db
def test_ready_says_degraded_but_stays_200_while_a_called_services_breaker_is_open(
    client, calls_only
):
    calls_only(ServiceClient(service="catalog", url_setting="IDENTITY_URL")).breaker.open()

    response = client.get("/healthz/ready")

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["dependencies"]) == ("DEGRADED", {"catalog": "open"})


@pytest.mark.django_db
def test_ready_reports_a_closed_breaker_as_ok(client, calls_only):
    calls_only(ServiceClient(service="catalog", url_setting="IDENTITY_URL"))

    body = client.get("/healthz/ready").json()

    assert (body["status"], body["dependencies"]) == ("OK", {"catalog": "closed"})


@pytest.mark.django_db
def test_ready_reports_a_breaker_whose_reset_timeout_passed_as_half_open(client, calls_only):
    catalog = calls_only(ServiceClient(service="catalog", url_setting="IDENTITY_URL"))
    catalog.breaker.open()
    catalog.breaker._state_storage.opened_at -= timedelta(seconds=catalog.breaker.reset_timeout)

    body = client.get("/healthz/ready").json()

    assert (body["status"], body["dependencies"]) == ("OK", {"catalog": "half-open"})
