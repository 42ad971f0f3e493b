"""`MERCATO_TRACING=local`: `make run` traces every process into a receiver of its own."""

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from devtools import up


def test_the_launcher_points_every_process_at_a_receiver_that_counts_their_spans():
    environment = {"MERCATO_TRACING": "local"}

    receiver = up.local_trace_receiver(environment)

    try:
        assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == receiver.url
        # What a service process does with that variable: exports over OTLP/HTTP in protobuf.
        provider = TracerProvider(resource=Resource.create({"service.name": "orders"}))
        exporter = OTLPSpanExporter(endpoint=f"{receiver.url}/v1/traces")
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        for name in ("POST /orders", "SELECT"):
            provider.get_tracer("tests").start_span(name).end()
        provider.shutdown()
        assert receiver.summary() == "spans received: orders 2"
    finally:
        receiver.stop()


def test_an_endpoint_already_set_wins():
    environment = {"MERCATO_TRACING": "local", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector"}

    assert up.local_trace_receiver(environment) is None
    assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://collector"


def test_without_it_the_platform_is_not_traced():
    environment: dict[str, str] = {}

    assert up.local_trace_receiver(environment) is None
    assert environment == {}
