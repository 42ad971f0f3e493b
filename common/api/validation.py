"""DRF's validation errors, nested as deep as the serializers, flattened to one list per field.

Both the API edge (common/api/errors.py) and the reports of work done off a request (the catalog's
CSV imports, in a worker) name fields this way, so it imports nothing of DRF's views.
"""

from collections.abc import Mapping, Sequence

# DRF's error detail: a message, or lists and dicts of them nested as deep as the serializers.
ErrorDetail = str | Sequence["ErrorDetail"] | Mapping[str, "ErrorDetail"]


def field_errors(detail: ErrorDetail, prefix: str = "") -> dict[str, list[str]]:
    """Flattens DRF's nested error detail into `{"lines.0.quantity": ["..."]}`."""
    if isinstance(detail, dict):
        flattened: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flattened.update(field_errors(value, name))
        return flattened
    if isinstance(detail, list) and detail and not all(isinstance(item, str) for item in detail):
        flattened = {}
        for index, value in enumerate(detail):
            flattened.update(field_errors(value, f"{prefix}.{index}" if prefix else str(index)))
        return flattened
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages]}
