"""Probes: liveness never touches a dependency; readiness reports each dependency by name."""

import socket
import threading

import pytest
from django.conf import settings
from django.db import connections


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
