"""event_data: valid data of every event type, straight from its JSON Schema."""

import uuid

import pytest

from common.events.types import EVENT_TYPES, InvalidEvent, validate_data
from common.testing.events import event_data


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_event_data_is_valid_for_every_event_type(event_type):
    validate_data(event_type, event_data(event_type))


def test_event_data_fills_every_required_field_with_new_ids_each_call():
    first, second = event_data("order.created"), event_data("order.created")

    assert set(first) == {"order_id", "customer_id", "lines"}
    assert first["order_id"] != second["order_id"]
    assert first["lines"] == [{"product_id": first["lines"][0]["product_id"], "quantity": 1}]


def test_overrides_replace_whole_fields():
    order_id = str(uuid.uuid4())

    data = event_data("order.cancelled", order_id=order_id, reason="payment_failed")

    assert (data["order_id"], data["reason"]) == (order_id, "payment_failed")
    assert (data["total"], data["currency"]) == ("10.00", "EUR")


def test_an_override_breaking_the_schema_is_refused_naming_the_field():
    with pytest.raises(InvalidEvent, match="quantity"):
        event_data("order.created", lines=[{"product_id": str(uuid.uuid4()), "quantity": 0}])
