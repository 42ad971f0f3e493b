"""Test helpers for events: valid data, what a service published, delivery to its handlers."""

import copy
import uuid
from typing import Any, cast

import pytest

from common.events.envelope import Envelope, envelope_for
from common.events.inbox import event_consume
from common.events.models import OutboxEvent
from common.events.types import validate_data, validator

# Values for the string patterns the schemas use; a new pattern must be added here to be sampled.
PATTERN_SAMPLES = {r"^-?\d+\.\d{2}$": "10.00", "^[A-Z]{3}$": "EUR"}
FORMAT_SAMPLES = {
    "uuid": lambda: str(uuid.uuid4()),
    "email": lambda: f"someone-{uuid.uuid4().hex[:8]}@mercato.test",
}


def event_data(event_type: str, **overrides: object) -> dict[str, Any]:
    """Data of `event_type` that its JSON Schema accepts: the schema's example where it gives one,
    else every required field sampled from its schema (new ids each call); `overrides` replace
    whole fields, and the result is checked against the schema."""
    # Our schemas are JSON objects, never the boolean schemas jsonschema also allows.
    schema = cast(dict[str, Any], validator(event_type).schema)
    data = {**sample(schema), **overrides}
    validate_data(event_type, data)
    return data


def sample(schema: dict[str, Any], name: str = "value") -> Any:
    """The simplest value `schema` accepts; `name` is the field's, which a plain string repeats."""
    if "examples" in schema:
        return copy.deepcopy(schema["examples"][0])
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema["type"]
    if kind == "object":
        properties = schema.get("properties", {})
        return {field: sample(properties[field], field) for field in schema.get("required", ())}
    if kind == "array":
        return [sample(schema["items"], name) for _ in range(max(schema.get("minItems", 0), 1))]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if "format" in schema:
        return FORMAT_SAMPLES[schema["format"]]()
    if "pattern" in schema:
        return PATTERN_SAMPLES[schema["pattern"]]
    return name


def published(event_type: str | None = None) -> list[dict[str, Any]]:
    """The envelopes this service's outbox holds, oldest first (`event_type` only, if given)."""
    events = OutboxEvent.objects.order_by("created_at")
    if event_type is not None:
        events = events.filter(type=event_type)
    return [event.envelope for event in events]


def published_data(event_type: str) -> list[dict[str, Any]]:
    return [envelope["data"] for envelope in published(event_type)]


def deliver(
    event_type: str, data: dict[str, Any], *, times: int = 1, source: str = "tests"
) -> Envelope:
    """Delivers a new event (schema-checked) to this service's handlers `times` times, as the
    broker would, and returns its envelope."""
    envelope = envelope_for(event_type=event_type, data=data, source=source)
    for _ in range(times):
        event_consume(envelope=dict(envelope))
    return envelope


@pytest.fixture(autouse=True, scope="session")
def tasks_run_in_process() -> None:
    """Celery tasks (handler retries, tasks a service queues) run inline and raise their errors,
    and relayed events stay in an in-memory broker: unit tests pin behaviour and never feed a
    real platform's queues; the e2e suite pins the real workers and brokers."""
    from celery import current_app
    from django.utils.module_loading import autodiscover_modules

    # celery-types makes broker_url read-only; Celery's configuration takes it like any key.
    current_app.conf.broker_url = "memory://"  # type: ignore[misc]
    current_app.conf.task_always_eager = True
    current_app.conf.task_eager_propagates = True
    # Services queue tasks by name (common.celery), which runs inline only once it is registered;
    # a worker registers them at start, and so does this.
    autodiscover_modules("tasks")
