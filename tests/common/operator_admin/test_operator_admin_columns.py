"""Links between the services' admins are gateway paths to a list page filtered by the id."""

import uuid

from common.operator_admin.columns import (
    ORDER,
    PAYMENTS_OF_ORDER,
    WEBHOOK_DELIVERIES_OF_ORDER,
    value_at,
)
from common.operator_admin.people.models import Person


def test_a_link_is_the_other_admins_list_filtered_by_the_id():
    order_id = uuid.uuid4()

    assert ORDER.path(order_id) == f"/orders/admin/orders/order/?id={order_id}"
    assert PAYMENTS_OF_ORDER.path(order_id) == (
        f"/payments/admin/payments/payment/?order_id={order_id}"
    )
    assert WEBHOOK_DELIVERIES_OF_ORDER.path(order_id) == (
        f"/notifications/admin/notifications/webhookdelivery/?payload__data__order_id={order_id}"
    )


def test_a_value_is_read_from_a_field_or_inside_a_json_field():
    person = Person(user_id=uuid.uuid4(), email="a@x.test")
    person.payload = {"data": {"order_id": "o-1"}}  # type: ignore[attr-defined]

    assert value_at(person, "email") == "a@x.test"
    assert value_at(person, "payload__data__order_id") == "o-1"
    assert value_at(person, "payload__data__missing") is None
