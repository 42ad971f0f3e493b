"""Log lines: JSON naming service and role, for structlog's events and stdlib records alike, with
every token, password, client secret, webhook secret and signature masked and nothing else; what
an idle platform repeats on a timer (beat's sends, periodic enqueues, probes, scrapes) at DEBUG."""

import base64
import json
import logging
import secrets
import sys

import pytest
import structlog

from common.observability.logging import (
    REDACTED,
    StructuredFormatter,
    process_identity,
    redact_secrets,
)

JWT = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0"
    ".eyJzdWIiOiIxMjMiLCJleHAiOjE3MDAwMDAwMDB9"
    ".c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU"
)
# Standard Webhooks' shapes, as apps/notifications/signing.py makes them.
WEBHOOK_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
SIGNATURE = "v1," + base64.b64encode(secrets.token_bytes(32)).decode()
PASSWORD = "correct-horse-battery-staple"
CLIENT_SECRET = "orders-client-secret-value"


def rendered(**event) -> str:
    """The line the processor chain writes for this event dict (as JSON text)."""
    return json.dumps(redact_secrets(None, "info", dict(event)))


@pytest.mark.parametrize(
    ("event", "secret"),
    [
        ({"access": JWT}, JWT),
        ({"refresh": JWT}, JWT),
        ({"error": f"token {JWT} is expired"}, JWT),
        ({"password": PASSWORD}, PASSWORD),
        ({"new_password": PASSWORD}, PASSWORD),
        ({"payload": {"email": "a@b.c", "password": PASSWORD}}, PASSWORD),
        ({"headers": {"Authorization": f"Bearer {JWT}"}}, JWT),
        ({"event": f"Authorization: Bearer {CLIENT_SECRET}"}, CLIENT_SECRET),
        ({"client_secret": CLIENT_SECRET}, CLIENT_SECRET),
        ({"args": [{"client_id": "orders", "client_secret": CLIENT_SECRET}]}, CLIENT_SECRET),
        ({"event": f"POST /token/ client_secret={CLIENT_SECRET}&client_id=orders"}, CLIENT_SECRET),
        ({"error": f"IdentityRefused({{'client_secret': '{CLIENT_SECRET}'}})"}, CLIENT_SECRET),
        ({"secret": WEBHOOK_SECRET}, WEBHOOK_SECRET),
        ({"event": f"endpoint made with {WEBHOOK_SECRET}"}, WEBHOOK_SECRET),
        ({"webhook-signature": SIGNATURE}, SIGNATURE),
        ({"event": f"sent with signature {SIGNATURE}"}, SIGNATURE),
        ({"exception": f'Traceback...\nValueError: {{"password": "{PASSWORD}"}}'}, PASSWORD),
        ({"request": f"GET /reset/?token={PASSWORD}"}, PASSWORD),
    ],
)
def test_a_secret_never_reaches_the_line(event, secret):
    line = rendered(**event)

    assert secret not in line
    assert REDACTED in line


def test_ordinary_values_are_kept_as_they_are():
    event = {
        "event": "request_finished",
        "request": "POST /orders/api/v1/orders/?page=2",
        "code": 201,
        "request_id": "0af76519-16cd-43dd-8448-eb211c80319c",
        "correlation_id": "checkout-7f3a",
        "sub": "5b1e6a52-7d5b-4c64-9bd4-4f9a2b0d2a11",
        "ip": "203.0.113.9",
        "user_agent": "python-requests/2.32.3",
        "task": "mercato.events.consume",
        "handler": "order_created__reserve_stock",
        "lines": [{"product_id": "p-1", "quantity": 2}],
        "reason": "no service token: Identity cannot be reached; try again in a moment.",
        "error": "Token is expired",
        "duration_ms": 12,
        "ok": True,
        "nothing": None,
    }

    assert redact_secrets(None, "info", dict(event)) == event


def stdlib_line(message: str, *args, exc_info=None) -> dict:
    """What StructuredFormatter writes for one standard-library record (a foreign one)."""
    record = logging.LogRecord("django.request", logging.ERROR, "", 1, message, args, exc_info)
    return json.loads(StructuredFormatter(format="json").format(record))


def test_a_stdlib_record_is_one_json_object_naming_service_role_and_the_bound_ids(monkeypatch):
    monkeypatch.setenv("MERCATO_ROLE", "worker")
    process_identity.cache_clear()
    try:
        with structlog.contextvars.bound_contextvars(correlation_id="order-42", request_id="r-1"):
            line = stdlib_line("Internal Server Error: %s", "/orders/")
    finally:
        process_identity.cache_clear()

    assert line["event"] == "Internal Server Error: /orders/"
    assert (line["service"], line["role"]) == ("catalog", "worker")
    assert (line["correlation_id"], line["request_id"]) == ("order-42", "r-1")
    assert (line["logger"], line["level"]) == ("django.request", "error")


def test_a_stdlib_record_and_its_traceback_are_redacted():
    try:
        raise ValueError(f"refused {{'password': '{PASSWORD}', 'access': '{JWT}'}}")
    except ValueError:
        line = stdlib_line("login for %s failed", f"Bearer {JWT}", exc_info=sys.exc_info())

    text = json.dumps(line)
    assert PASSWORD not in text
    assert JWT not in text
    assert "ValueError" in line["exception"]


def test_a_structlog_event_is_redacted_on_its_way_through_the_stdlib(caplog):
    formatter = StructuredFormatter(format="json")
    structlog.get_logger("tests.observability").warning(
        "service_token_refused", client_secret=CLIENT_SECRET, detail=f"got {JWT}"
    )
    (record,) = [record for record in caplog.records if record.name == "tests.observability"]

    line = json.loads(formatter.format(record))

    assert (line["client_secret"], line["detail"]) == (REDACTED, f"got {REDACTED}")
    assert line["event"] == "service_token_refused"


def test_the_console_format_is_redacted_too():
    record = logging.LogRecord(
        "gunicorn.error", logging.INFO, __file__, 1, "password=%s", (PASSWORD,), None
    )

    line = StructuredFormatter(format="console").format(record)

    assert PASSWORD not in line
    assert "service=catalog" in line


ROUTINE_LOGGER = "tests.observability.routine"
REQUESTS = (
    ("GET /metrics", 200),
    ("GET /healthz/ready", 200),
    ("GET /healthz/live", 200),
    ("GET /healthz/ready", 503),
    ("GET /catalog/api/v1/products/", 200),
)
# Periodic in catalog's schedule (the suite's settings), and the event delivery, which is not.
ENQUEUED = ("mercato.events.sweep_outbox", "catalog.reservations_expire", "mercato.events.consume")


def routine_lines(caplog, level: int) -> list[tuple[str, str]]:
    """Logs requests' and enqueues' lines as django-structlog does, with the logger at `level`;
    returns the lines that came through, each as what it is about and the level it says."""
    caplog.set_level(level, logger=ROUTINE_LOGGER)
    logger = structlog.get_logger(ROUTINE_LOGGER)
    for request, code in REQUESTS:
        logger.info("request_started", request=request)
        level_of_code = logging.ERROR if code >= 500 else logging.INFO
        logger.log(level_of_code, "request_finished", request=request, code=code)
    for task in ENQUEUED:
        logger.info("task_enqueued", child_task_name=task)
    lines = []
    for record in caplog.records:
        if record.name == ROUTINE_LOGGER:
            event = record.msg
            about = event.get("request") or event["child_task_name"]
            lines.append(
                (f"{event['event']} {about} {event.get('code', '')}".strip(), event["level"])
            )
    return lines


def test_probes_scrapes_periodic_enqueues_and_request_starts_are_not_logged_at_info(caplog):
    assert routine_lines(caplog, logging.INFO) == [
        ("request_finished GET /healthz/ready 503", "error"),
        ("request_finished GET /catalog/api/v1/products/ 200", "info"),
        ("task_enqueued mercato.events.consume", "info"),
    ]


def test_at_debug_they_are_logged_and_say_debug(caplog):
    lines = dict(routine_lines(caplog, logging.DEBUG))

    assert lines["request_finished GET /metrics 200"] == "debug"
    assert lines["request_started GET /healthz/live"] == "debug"
    assert lines["request_started GET /catalog/api/v1/products/"] == "debug"
    assert lines["task_enqueued mercato.events.sweep_outbox"] == "debug"
    assert lines["task_enqueued catalog.reservations_expire"] == "debug"
    assert lines["task_enqueued mercato.events.consume"] == "info"
    assert len(lines) == 2 * len(REQUESTS) - 1 + len(ENQUEUED)


def beat_records(caplog, level: int) -> list[tuple[str, str]]:
    """What celery.beat's logger, as LOGGING configures it, lets through at `level`."""
    caplog.set_level(level, logger="celery.beat")
    beat = logging.getLogger("celery.beat")
    beat.info("beat: Starting...")
    beat.info("Scheduler: Sending due task %s (%s)", "sweep-outbox", "mercato.events.sweep_outbox")
    beat.error("Message Error: %s", "broker down")
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "celery.beat"]


def test_beats_sending_line_is_debug_and_its_other_lines_keep_their_level(caplog):
    assert beat_records(caplog, logging.INFO) == [
        ("INFO", "beat: Starting..."),
        ("ERROR", "Message Error: broker down"),
    ]


def test_at_debug_beats_sending_line_is_shown_as_debug(caplog):
    assert beat_records(caplog, logging.DEBUG)[1] == (
        "DEBUG",
        "Scheduler: Sending due task sweep-outbox (mercato.events.sweep_outbox)",
    )
