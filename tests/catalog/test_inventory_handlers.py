"""catalog's handlers of the orders' events: each delivered twice, as the broker may, acts once."""

import uuid

import pytest

from apps.inventory.models import Reservation
from common.events.models import InboxEntry
from common.testing.events import deliver, event_data, published, published_data
from tests.catalog.conftest import stock_of

pytestmark = pytest.mark.django_db


def order_event(event_type: str, order_id, tea, *, times: int = 1, **overrides) -> None:
    """Delivers the orders' event `event_type` about `order_id`, whose one line is 2 x `tea`;
    the rest of its data as the schema samples it."""
    data = event_data(event_type, order_id=str(order_id), **overrides)
    data["lines"] = [{**data["lines"][0], "product_id": str(tea.id), "quantity": 2}]
    deliver(event_type, data, times=times)


@pytest.fixture
def order_id() -> uuid.UUID:
    return uuid.uuid4()


def test_order_created_twice_reserves_once(stocked, order_id):
    tea = stocked(5)

    order_event("order.created", order_id, tea, times=2)

    assert Reservation.objects.filter(order_id=order_id).count() == 1
    assert stock_of(tea) == (5, 2)
    assert published_data("stock.reserved") == [{"order_id": str(order_id)}]


def test_a_second_order_created_event_for_the_same_order_reserves_nothing_more(stocked, order_id):
    """A republished event has a new id, so the inbox lets it through; the order id stops it."""
    tea = stocked(5)

    order_event("order.created", order_id, tea)
    order_event("order.created", order_id, tea)

    assert stock_of(tea) == (5, 2)
    assert InboxEntry.objects.count() == 2


def test_order_created_that_cannot_be_held_is_rejected_once(stocked, order_id):
    tea = stocked(1)

    order_event("order.created", order_id, tea, times=2)

    assert published_data("stock.rejected") == [
        {"order_id": str(order_id), "reason": "out_of_stock", "product_ids": [str(tea.id)]}
    ]
    assert stock_of(tea) == (1, 0)


@pytest.mark.parametrize(
    ("earlier", "event_type", "reservation", "stock"),
    [
        # Confirmed twice commits the held units once.
        ((), "order.confirmed", Reservation.Status.COMMITTED, (3, 0)),
        # Refunded twice returns the committed units once.
        (("order.confirmed",), "order.refunded", Reservation.Status.RETURNED, (5, 0)),
    ],
)
def test_a_settling_event_delivered_twice_acts_once(
    stocked, order_id, earlier, event_type, reservation, stock
):
    tea = stocked(5)
    order_event("order.created", order_id, tea)
    for step in earlier:
        order_event(step, order_id, tea)

    order_event(event_type, order_id, tea, times=2)

    assert Reservation.objects.get(order_id=order_id).status == reservation
    assert stock_of(tea) == stock


def test_order_cancelled_twice_releases_once_with_the_orders_reason(stocked, order_id):
    tea = stocked(5)
    order_event("order.created", order_id, tea)

    order_event("order.cancelled", order_id, tea, reason="payment_failed", times=2)

    assert stock_of(tea) == (5, 0)
    assert published_data("stock.released") == [
        {"order_id": str(order_id), "reason": "payment_failed"}
    ]


def test_order_cancelled_after_a_rejection_changes_nothing(stocked, order_id):
    tea = stocked(1)
    order_event("order.created", order_id, tea)

    order_event("order.cancelled", order_id, tea, reason="out_of_stock")

    assert stock_of(tea) == (1, 0)
    assert published("stock.released") == []


def test_a_late_order_cancelled_after_confirmation_keeps_the_stock_committed(stocked, order_id):
    tea = stocked(5)
    order_event("order.created", order_id, tea)
    order_event("order.confirmed", order_id, tea)

    order_event("order.cancelled", order_id, tea, reason="deadline")

    assert stock_of(tea) == (3, 0)
    assert published("stock.released") == []
