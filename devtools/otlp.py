"""A stand-in OpenTelemetry collector: an OTLP/HTTP receiver on 127.0.0.1 for the spans the
services export, behind `MERCATO_TRACING=local` and the end-to-end tracing test."""

import gzip
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

TRACES_PATH = "/v1/traces"


@dataclass(frozen=True)
class ReceivedSpan:
    """One exported span; ids in hex as W3C trace context writes them, no parent: ""."""

    service: str
    role: str
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str


@dataclass
class OtlpReceiver:
    """Answers every export as a collector does and counts the spans per service; keeps only
    those of the traces it was told to `follow`, so a long run under load holds no more."""

    port: int = 0
    followed: dict[str, list[ReceivedSpan]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler_for(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        """The base URL, what OTEL_EXPORTER_OTLP_ENDPOINT takes (exporters add /v1/traces)."""
        return f"http://127.0.0.1:{self.port}"

    def receive(self, body: bytes) -> None:
        request = ExportTraceServiceRequest.FromString(body)
        received = []
        for resource_spans in request.resource_spans:
            attributes = {
                attribute.key: attribute.value.string_value
                for attribute in resource_spans.resource.attributes
            }
            for scope_spans in resource_spans.scope_spans:
                received += [
                    ReceivedSpan(
                        service=attributes.get("service.name", ""),
                        role=attributes.get("mercato.process.role", ""),
                        name=span.name,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex(),
                    )
                    for span in scope_spans.spans
                ]
        with self.lock:
            self.counts.update(span.service for span in received)
            for span in received:
                if span.trace_id in self.followed:
                    self.followed[span.trace_id].append(span)

    def follow(self, trace_id: str) -> None:
        """Keeps the spans of trace `trace_id` (32 hex digits) received from now on."""
        with self.lock:
            self.followed.setdefault(trace_id, [])

    def spans_of(self, trace_id: str) -> list[ReceivedSpan]:
        with self.lock:
            return list(self.followed.get(trace_id, ()))

    def summary(self) -> str:
        with self.lock:
            counts = sorted(self.counts.items())
        counted = ", ".join(f"{service} {count}" for service, count in counts)
        return f"spans received: {counted or 'none'}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def handler_for(receiver: OtlpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if self.path != TRACES_PATH:
                self.answer(404)
                return
            try:
                receiver.receive(body)
            except Exception:
                self.answer(400)
                return
            self.answer(200)

        def answer(self, status: int) -> None:
            # An empty ExportTraceServiceResponse: every span accepted.
            self.send_response(status)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: what was received is what matters."""

    return Handler
