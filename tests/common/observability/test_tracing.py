"""Tracing: off, nothing of OpenTelemetry is loaded; on, an event carries the span that wrote it
to the outbox, its handlers continue that trace, and log lines name the trace and span."""

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import structlog
from django.db import transaction
from opentelemetry import propagate, trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from common.events import inbox
from common.events.envelope import envelope_for
from common.events.inbox import event_consume
from common.events.outbox import publish
from common.observability.logging import StructuredFormatter
from common.observability.tracing import tracer_install, tracing_stop
from common.testing.events import event_data, published

ROOT = Path(__file__).resolve().parents[3]
HANDLER = "tests.record_trace"

# What each process of a service goes through at start: gunicorn's hooks, the Celery app and a
# prefork child's start, the WSGI application; then an event written and a line logged.
PROCESS_START = """
import json, runpy, sys
import django
django.setup()
from django.conf import settings
hooks = runpy.run_path("docker/gunicorn.conf.py")
hooks["post_fork"](None, None)
from celery.signals import worker_process_init
import services.catalog.celery
worker_process_init.send(sender=None)
from django.core.wsgi import get_wsgi_application
get_wsgi_application()
from common.events.envelope import envelope_for
from common.observability.tracing import tracing_on
envelope = envelope_for(event_type="stock.reserved", data={"order_id": sys.argv[1]}, source="t")
import structlog
structlog.get_logger("tests").info("started")
print(json.dumps({
    "tracing": tracing_on(),
    "opentelemetry": sorted(name for name in sys.modules if name.startswith("opentelemetry")),
    "first_middleware": settings.MIDDLEWARE[0],
}))
"""


def process_started(**environment: str) -> dict:
    """What a catalog process started with `environment` (and no other OTEL_ variable) loaded."""
    return json.loads(python_run(PROCESS_START, **environment))


def opentelemetry_loaded_by_redis() -> set[str]:
    """redis-py imports OpenTelemetry's metrics SDK by itself wherever it is installed, for metrics
    of its own that stay off (and cost nothing per command) until an application enables them."""
    loaded = "import redis, sys; print(' '.join(m for m in sys.modules if 'opentelemetry' in m))"
    return set(python_run(loaded).split())


def python_run(code: str, **environment: str) -> str:
    """The last line `code` printed, run by a new interpreter in the repository."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("OTEL_")}
    finished = subprocess.run(
        [sys.executable, "-c", code, str(uuid.uuid4())],
        env={**inherited, "DJANGO_SETTINGS_MODULE": "services.catalog.settings", **environment},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout.splitlines()[-1]


def test_without_an_otlp_endpoint_no_process_loads_opentelemetry():
    started = process_started()

    assert started["tracing"] is False
    assert set(started["opentelemetry"]) - opentelemetry_loaded_by_redis() == set()
    assert not [name for name in started["opentelemetry"] if "sdk.trace" in name]
    assert "opentelemetry" not in started["first_middleware"]


def test_with_an_otlp_endpoint_a_web_process_traces_its_requests():
    """The counterpart of the test above, so that one cannot pass by never tracing at all."""
    started = process_started(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9")

    assert started["tracing"] is True
    assert "opentelemetry.sdk.trace" in started["opentelemetry"]
    assert started["first_middleware"].startswith("opentelemetry.instrumentation.django")


@pytest.fixture
def spans():
    """Tracing on in this process, every span kept in memory as it ends."""
    exporter = InMemorySpanExporter()
    provider = tracer_install(role="worker", span_processor=SimpleSpanProcessor(exporter))
    exporter.tracer = provider.get_tracer("tests")
    yield exporter
    tracing_stop()


@pytest.fixture
def handler_calls(monkeypatch) -> list:
    """The only handler of stock.reserved here: it publishes stock.released, as handlers do."""
    calls = []

    def record(event) -> None:
        calls.append(trace.get_current_span().get_span_context())
        publish("stock.released", {"order_id": event.data["order_id"], "reason": "test"})

    monkeypatch.setattr(inbox, "HANDLERS", {HANDLER: (frozenset({"stock.reserved"}), record)})
    return calls


def traceparent_of(span) -> str:
    context = span.get_span_context()
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


@pytest.mark.django_db
def test_an_event_carries_the_span_current_when_it_was_written_to_the_outbox(spans):
    """Captured then, not when the relay sends it later from wherever it runs."""
    with spans.tracer.start_as_current_span("POST /orders") as request, transaction.atomic():
        publish("stock.reserved", event_data("stock.reserved"))

    (envelope,) = published("stock.reserved")
    assert envelope["traceparent"] == traceparent_of(request)
    assert "tracestate" not in envelope


@pytest.mark.django_db
def test_an_event_carries_the_trace_state_of_its_span(spans):
    caller = propagate.extract(
        {"traceparent": f"00-{'ab' * 16}-{'cd' * 8}-01", "tracestate": "vendor=opaque"}
    )
    with spans.tracer.start_as_current_span("POST /orders", context=caller):
        publish("stock.reserved", event_data("stock.reserved"))

    (envelope,) = published("stock.reserved")
    assert envelope["traceparent"].split("-")[1] == "ab" * 16
    assert envelope["tracestate"] == "vendor=opaque"


@pytest.mark.django_db
def test_a_handler_runs_in_a_child_of_the_span_that_published_the_event(spans, handler_calls):
    with spans.tracer.start_as_current_span("POST /orders") as request:
        envelope = envelope_for(
            event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
        )
    # The worker's task span, in another trace: a sweep may have relayed the event.
    with spans.tracer.start_as_current_span("run/mercato.events.consume") as delivery:
        event_consume(envelope=dict(envelope))

    (handled,) = [span for span in spans.get_finished_spans() if span.name.startswith("handle")]
    assert handled.name == "handle stock.reserved"
    assert handled.parent.span_id == request.get_span_context().span_id
    assert handled.context.trace_id == request.get_span_context().trace_id
    assert [link.context.span_id for link in handled.links] == [delivery.get_span_context().span_id]
    assert handled.attributes["cloudevents.event_id"] == envelope["id"]
    assert handled.attributes["mercato.event_handler"] == HANDLER
    # What the handler publishes continues the same trace, from the handler's span.
    assert handler_calls == [handled.context]
    (effect,) = published("stock.released")
    assert effect["traceparent"] == traceparent_of(handled)


@pytest.mark.django_db
def test_a_handler_continues_the_trace_of_an_untraced_publisher(spans, handler_calls):
    """A service without tracing still writes a traceparent; the handler joins its trace."""
    envelope = envelope_for(
        event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
    )
    _, trace_id, span_id, _ = envelope["traceparent"].split("-")

    event_consume(envelope=dict(envelope))

    (handled,) = spans.get_finished_spans()
    assert (f"{handled.context.trace_id:032x}", f"{handled.parent.span_id:016x}") == (
        trace_id,
        span_id,
    )


def logged_line(logger_name: str) -> dict:
    """One line logged through structlog and the services' JSON formatter, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(StructuredFormatter("json"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        structlog.get_logger(logger_name).info("something_happened")
    finally:
        logger.removeHandler(handler)
    return json.loads(stream.getvalue())


def test_log_lines_name_the_current_trace_and_span(spans):
    with spans.tracer.start_as_current_span("POST /orders") as request:
        line = logged_line("tests.tracing.on")

    context = request.get_span_context()
    assert (line["trace_id"], line["span_id"]) == (
        f"{context.trace_id:032x}",
        f"{context.span_id:016x}",
    )


def test_log_lines_name_no_trace_when_tracing_is_off():
    tracer = trace.get_tracer("tests")
    with tracer.start_as_current_span("POST /orders"):
        line = logged_line("tests.tracing.off")

    assert line["event"] == "something_happened"
    assert "trace_id" not in line
    assert "span_id" not in line
