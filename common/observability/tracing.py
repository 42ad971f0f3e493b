"""OpenTelemetry tracing (the `otel` extra): on only where OTEL_EXPORTER_OTLP_ENDPOINT is set.

Off, nothing here imports opentelemetry, so an untraced process costs what it did before. On,
each process starts its own tracer after it was forked (gunicorn's post_fork, Celery's
worker_process_init and beat_init): the BatchSpanProcessor's export thread would not survive a
fork. Django, Celery, psycopg and requests are instrumented, so a trace follows a request through
the HTTP calls and tasks it causes; events carry it in their envelope's `traceparent`
(common/events/envelope.py), written when the event enters the outbox and continued by every
handler of it (`event_span`).
"""

import contextlib
import os
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
    from opentelemetry.trace import Tracer

ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"
# Probes and scrapes every few seconds would bury the traces worth reading.
DEFAULT_EXCLUDED_URLS = "healthz,metrics"

logger = structlog.get_logger(__name__)

# Set once this process traces; None is "off" everywhere below.
_tracer: "Tracer | None" = None
_provider: "TracerProvider | None" = None


def tracing_configured() -> bool:
    """Whether this process is to trace: an OTLP endpoint is set and the SDK is not disabled."""
    disabled = os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"
    return bool(os.environ.get(ENDPOINT_VARIABLE, "").strip()) and not disabled


def tracing_on() -> bool:
    return _tracer is not None


def tracing_start(*, role: str) -> None:
    """Starts tracing in this process as `role` (web, worker, beat) of its service, exporting
    over OTLP/HTTP in batches, when tracing is configured; a second call does nothing."""
    if _tracer is not None or not tracing_configured():
        return
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        # Telemetry is no reason to crash-loop every process: say so once and serve untraced.
        logger.error("tracing_unavailable", reason="the otel extra is not installed")
        return
    provider = tracer_install(role=role, span_processor=BatchSpanProcessor(OTLPSpanExporter()))
    _instrument(role=role, provider=provider)
    logger.info("tracing_started", role=role, endpoint=os.environ[ENDPOINT_VARIABLE])


def tracer_install(*, role: str, span_processor: "SpanProcessor") -> "TracerProvider":
    """Makes this process trace as `role` of its service through `span_processor` (the global
    provider too, the first time), and returns the provider; tests pass an in-memory one."""
    global _tracer, _provider
    from django.conf import settings
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    resource = Resource.create(
        {
            "service.name": settings.SERVICE_NAME,
            "service.namespace": "mercato",
            "service.instance.id": f"{os.uname().nodename}:{os.getpid()}",
            "mercato.process.role": role,
        }
    )
    # The sampler comes from OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG.
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(span_processor)
    # The global provider can be set only once per process; instrumentations are given ours.
    if isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        trace.set_tracer_provider(provider)
    _provider, _tracer = provider, provider.get_tracer("mercato")
    return provider


def tracing_stop() -> None:
    """Sends the spans still queued and stops tracing in this process (a prefork child exits
    with os._exit, which skips the SDK's own flush at exit)."""
    global _tracer, _provider
    if _provider is not None:
        _provider.shutdown()
    _tracer = _provider = None


def _instrument(*, role: str, provider: "TracerProvider") -> None:
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor

    # Every role sends tasks, and Celery's headers carry the trace to the worker that runs them.
    # The Celery instrumentation declares no types.
    CeleryInstrumentor().instrument(tracer_provider=provider)  # type: ignore[no-untyped-call]
    if role == "beat":
        return
    PsycopgInstrumentor().instrument(tracer_provider=provider)
    RequestsInstrumentor().instrument(tracer_provider=provider)
    if role == "web":
        from opentelemetry.instrumentation.django import DjangoInstrumentor

        # Before the WSGI application loads its middleware: post_fork runs before that.
        DjangoInstrumentor().instrument(
            tracer_provider=provider,
            excluded_urls=os.environ.get("OTEL_PYTHON_DJANGO_EXCLUDED_URLS", DEFAULT_EXCLUDED_URLS),
        )


def tracing_connect_celery() -> None:
    """Starts tracing in each Celery prefork child and in beat, after their fork, and sends a
    child's queued spans before it exits."""
    if not tracing_configured():
        return
    from celery.signals import beat_init, worker_process_init, worker_process_shutdown

    worker_process_init.connect(_start_worker, weak=False, dispatch_uid="mercato.tracing")
    beat_init.connect(_start_beat, weak=False, dispatch_uid="mercato.tracing")
    worker_process_shutdown.connect(_stop, weak=False, dispatch_uid="mercato.tracing")


def _start_worker(**kwargs: Any) -> None:
    tracing_start(role="worker")


def _start_beat(**kwargs: Any) -> None:
    tracing_start(role="beat")


def _stop(**kwargs: Any) -> None:
    tracing_stop()


def current_trace_context() -> dict[str, str]:
    """The current span as W3C trace context (`traceparent`, and `tracestate` if any); empty when
    tracing is off or no span is current."""
    if _tracer is None:
        return {}
    from opentelemetry import propagate

    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return {name: carrier[name] for name in ("traceparent", "tracestate") if carrier.get(name)}


@contextlib.contextmanager
def event_span(
    *, event_type: str, event_id: str, source: str, handler: str, trace_context: dict[str, str]
) -> Iterator[None]:
    """A span for one handler of one event, the child of the span that published it
    (`trace_context`, from the envelope) and linked to the task delivering it, which a sweep may
    have relayed in another trace. Nothing when tracing is off."""
    if _tracer is None:
        yield
        return
    from opentelemetry import propagate, trace

    delivery = trace.get_current_span().get_span_context()
    with _tracer.start_as_current_span(
        f"handle {event_type}",
        context=propagate.extract(trace_context),
        kind=trace.SpanKind.CONSUMER,
        links=[trace.Link(delivery)] if delivery.is_valid else None,
        attributes={
            "cloudevents.event_id": event_id,
            "cloudevents.event_type": event_type,
            "cloudevents.event_source": source,
            "mercato.event_handler": handler,
        },
    ):
        yield


def add_trace_ids(
    wrapped_logger: object, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: the current trace and span ids on every line, when tracing is on."""
    if _tracer is None:
        return event_dict
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = trace.format_trace_id(context.trace_id)
        event_dict["span_id"] = trace.format_span_id(context.span_id)
    return event_dict
