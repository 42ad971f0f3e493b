"""The CloudEvents 1.0 envelope, and the correlation and trace ids an event carries on."""

import contextlib
import contextvars
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NotRequired, TypedDict

import structlog

from common.events.types import InvalidEvent, validate_data
from common.observability.correlation import current_correlation_id
from common.observability.tracing import current_trace_context

SPEC_VERSION = "1.0"
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
REQUIRED_ATTRIBUTES = ("specversion", "id", "source", "type", "time", "data")


class Envelope(TypedDict):
    """An event as this platform publishes it; `data` is checked against its type's JSON Schema."""

    specversion: str
    id: str
    source: str
    type: str
    time: str
    datacontenttype: str
    data: dict[str, Any]
    correlationid: str
    # CloudEvents' distributed tracing extension: W3C trace context of the span that published.
    traceparent: str
    tracestate: NotRequired[str]


@dataclass(frozen=True)
class Event:
    id: uuid.UUID
    type: str
    source: str
    time: str
    data: dict[str, Any]
    correlation_id: str
    traceparent: str
    tracestate: str = ""

    @classmethod
    def from_envelope(cls, envelope: dict[str, Any]) -> "Event":
        """Checks the envelope and the data against its type's schema (the consuming side)."""
        if not isinstance(envelope, dict):
            raise InvalidEvent("an event envelope is a JSON object")
        if missing := [name for name in REQUIRED_ATTRIBUTES if name not in envelope]:
            raise InvalidEvent(f"the envelope lacks {', '.join(missing)}")
        if envelope["specversion"] != SPEC_VERSION:
            raise InvalidEvent(f"specversion {envelope['specversion']!r} is not {SPEC_VERSION}")
        try:
            event_id = uuid.UUID(str(envelope["id"]))
        except ValueError:
            raise InvalidEvent("the envelope's id is not a UUID") from None
        validate_data(envelope["type"], envelope["data"])
        return cls(
            id=event_id,
            type=envelope["type"],
            source=envelope["source"],
            time=envelope["time"],
            data=envelope["data"],
            correlation_id=envelope.get("correlationid", str(event_id)),
            traceparent=envelope.get("traceparent", ""),
            tracestate=envelope.get("tracestate", ""),
        )

    @property
    def trace_context(self) -> dict[str, str]:
        """`traceparent` and `tracestate` as a W3C trace context carrier."""
        carrier = {"traceparent": self.traceparent, "tracestate": self.tracestate}
        return {name: value for name, value in carrier.items() if value}


# Set while a handler runs, so what it publishes carries the same correlation and trace.
_handling: contextvars.ContextVar[Event | None] = contextvars.ContextVar("handling", default=None)


@contextlib.contextmanager
def handling(event: Event) -> Iterator[None]:
    token = _handling.set(event)
    with structlog.contextvars.bound_contextvars(
        correlation_id=event.correlation_id, event_id=str(event.id), event_type=event.type
    ):
        try:
            yield
        finally:
            _handling.reset(token)


def envelope_for(*, event_type: str, data: dict[str, Any], source: str) -> Envelope:
    """A new event of `event_type` (checked against its schema) continuing the current context:
    the event being handled, else the request or task (its correlation id, see
    common.observability.correlation). Its trace is the current span's when tracing is on
    (captured now: the relay sends it later, elsewhere), else the handled event's trace id under
    a new span id, else a new trace."""
    validate_data(event_type, data)
    event_id = uuid.uuid4()
    cause = _handling.get()
    if cause is not None:
        correlation_id, trace_id = cause.correlation_id, _trace_id(cause.traceparent)
    else:
        correlation_id, trace_id = current_correlation_id() or str(event_id), None
    trace_context = current_trace_context() or {
        "traceparent": f"00-{trace_id or secrets.token_hex(16)}-{secrets.token_hex(8)}-01"
    }
    envelope: Envelope = {
        "specversion": SPEC_VERSION,
        "id": str(event_id),
        "source": f"/{source}",
        "type": event_type,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "data": data,
        "correlationid": correlation_id,
        "traceparent": trace_context["traceparent"],
    }
    if "tracestate" in trace_context:
        envelope["tracestate"] = trace_context["tracestate"]
    return envelope


def _trace_id(traceparent: str) -> str | None:
    match = TRACEPARENT.match(traceparent)
    return match.group(1) if match else None
