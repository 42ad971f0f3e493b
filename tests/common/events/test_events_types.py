"""Every event type has a schema, and data that breaks it is refused naming the field."""

import uuid

import pytest

from common.events.subscriptions import SUBSCRIPTIONS
from common.events.types import EVENT_TYPES, InvalidEvent, validate_data

DOCUMENTED_TYPES = {
    "user.registered",
    "user.updated",
    "order.created",
    "order.payment_requested",
    "order.confirmed",
    "order.cancelled",
    "order.refund_requested",
    "order.refunded",
    "stock.reserved",
    "stock.rejected",
    "stock.released",
    "payment.succeeded",
    "payment.failed",
    "payment.refunded",
}


def test_the_schemas_cover_exactly_the_designed_event_types():
    assert set(EVENT_TYPES) == DOCUMENTED_TYPES


def test_every_subscribed_type_has_a_schema():
    subscribed = {t for types in SUBSCRIPTIONS.values() for t in types}
    assert subscribed <= set(EVENT_TYPES)


def test_valid_data_passes():
    validate_data("stock.reserved", {"order_id": str(uuid.uuid4())})


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({}, "'order_id' is a required property"),
        ({"order_id": "not-a-uuid"}, "order_id"),
        ({"order_id": str(uuid.uuid4()), "extra": 1}, "'extra' was unexpected"),
    ],
)
def test_data_breaking_the_schema_is_refused_naming_what_is_wrong(data, named):
    with pytest.raises(InvalidEvent, match=named):
        validate_data("stock.reserved", data)


def test_money_is_a_decimal_string_with_two_places():
    payment = {"order_id": str(uuid.uuid4()), "payment_id": str(uuid.uuid4()), "currency": "EUR"}

    validate_data("payment.succeeded", {**payment, "amount": "12.50"})
    with pytest.raises(InvalidEvent, match="amount"):
        validate_data("payment.succeeded", {**payment, "amount": 12.5})


def test_an_unknown_type_is_refused():
    with pytest.raises(InvalidEvent, match="unknown event type"):
        validate_data("order.teleported", {})
