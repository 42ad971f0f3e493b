"""An order's one transition function: the saga's table decides, and the history records."""

import pytest

from apps.orders.models import ALLOWED_TRANSITIONS, OrderStatus, TransitionNotAllowed
from tests.orders.conftest import order_in

pytestmark = pytest.mark.django_db


def test_a_transition_the_table_allows_changes_status_and_writes_history():
    order = order_in(OrderStatus.AWAITING_PAYMENT)

    change = order.transition(OrderStatus.CANCELLED, reason="timeout", actor="system")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "timeout"
    assert (change.from_status, change.to_status, change.actor) == (
        "AWAITING_PAYMENT",
        "CANCELLED",
        "system",
    )


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (current, target)
        for current in OrderStatus
        for target in OrderStatus
        if target not in ALLOWED_TRANSITIONS[current]
    ],
)
def test_a_transition_outside_the_table_is_refused_and_changes_nothing(current, target):
    order = order_in(current)

    with pytest.raises(TransitionNotAllowed):
        order.transition(target, reason="test", actor="tests")

    order.refresh_from_db()
    assert order.status == current
    assert order.history.count() == 1


def test_finished_orders_go_nowhere():
    assert ALLOWED_TRANSITIONS[OrderStatus.CANCELLED] == frozenset()
    assert ALLOWED_TRANSITIONS[OrderStatus.REFUNDED] == frozenset()
