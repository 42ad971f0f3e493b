"""Test helper for metrics: a sample's value as this process's registry holds it."""

from prometheus_client import REGISTRY


def metric_value(name: str, **labels: str) -> float:
    """The sample `name` (with its `_total`, `_count`… suffix) with `labels`; 0 when it was
    never set, as Prometheus reads a counter that has not moved yet."""
    return REGISTRY.get_sample_value(name, labels) or 0.0
