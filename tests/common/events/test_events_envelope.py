"""The CloudEvents envelope, and the correlation and trace an event passes on to what it causes."""

import uuid

import pytest
import structlog

from common.events.envelope import Event, envelope_for, handling
from common.events.types import InvalidEvent
from common.testing.events import event_data


def test_an_envelope_is_cloudevents_1_0_json_with_our_extensions():
    envelope = envelope_for(
        event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
    )

    assert envelope["specversion"] == "1.0"
    assert envelope["source"] == "/catalog"
    assert envelope["type"] == "stock.reserved"
    assert envelope["datacontenttype"] == "application/json"
    assert uuid.UUID(envelope["id"])
    assert envelope["time"].endswith("+00:00")
    assert envelope["traceparent"].startswith("00-")
    assert envelope["correlationid"]


def test_an_event_published_in_a_request_is_correlated_by_the_request_id():
    with structlog.contextvars.bound_contextvars(request_id="req-42"):
        envelope = envelope_for(
            event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
        )

    assert envelope["correlationid"] == "req-42"


def test_an_event_published_in_a_request_or_task_carries_its_correlation_id():
    with structlog.contextvars.bound_contextvars(request_id="req-43", correlation_id="order-43"):
        envelope = envelope_for(
            event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
        )

    assert envelope["correlationid"] == "order-43"


def test_an_event_published_while_handling_another_continues_its_correlation_and_trace():
    cause = Event.from_envelope(
        envelope_for(
            event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
        )
    )

    with handling(cause):
        effect = envelope_for(
            event_type="stock.reserved", data=event_data("stock.reserved"), source="orders"
        )

    assert effect["correlationid"] == cause.correlation_id
    assert effect["traceparent"].split("-")[1] == cause.traceparent.split("-")[1]
    assert effect["traceparent"] != cause.traceparent


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"specversion": "0.3"}, "specversion"),
        ({"id": "seven"}, "not a UUID"),
        ({"type": "order.teleported"}, "unknown event type"),
        ({"data": {"order_id": 7}}, "order_id"),
    ],
)
def test_a_consumer_refuses_a_malformed_envelope(change, complaint):
    envelope = envelope_for(
        event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
    )

    with pytest.raises(InvalidEvent, match=complaint):
        Event.from_envelope({**envelope, **change})


def test_a_consumer_refuses_an_envelope_missing_attributes():
    with pytest.raises(InvalidEvent, match="lacks id, source"):
        Event.from_envelope(
            {"specversion": "1.0", "type": "stock.reserved", "time": "", "data": {}}
        )
