"""The catalog of event types: one JSON Schema per type, checked on publish and on consume."""

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_DIRECTORY = Path(__file__).parent / "schemas"
EVENT_TYPES = tuple(sorted(path.stem for path in SCHEMA_DIRECTORY.glob("*.json")))


class InvalidEvent(ValueError):
    """An event whose type is unknown or whose data does not match its type's schema."""


@functools.cache
def validator(event_type: str) -> Draft202012Validator:
    if event_type not in EVENT_TYPES:
        raise InvalidEvent(f"unknown event type {event_type!r}")
    schema = json.loads((SCHEMA_DIRECTORY / f"{event_type}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_data(event_type: str, data: dict[str, Any]) -> None:
    """Raises InvalidEvent naming the first field that breaks `event_type`'s schema."""
    error = next(iter(validator(event_type).iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "data"
        raise InvalidEvent(f"{event_type} {where}: {error.message}")
