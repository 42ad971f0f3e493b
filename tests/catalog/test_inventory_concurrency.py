"""Many orders reserving at once, each on its own database connection: stock is never overdrawn."""

import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection

from apps.inventory.models import Reservation, Stock
from apps.inventory.services import stock_reserve
from common.events import outbox
from common.testing.events import published

CONCURRENT_ORDERS = 30
ON_HAND = 10
BARRIER_TIMEOUT_SECONDS = 30


@pytest.fixture(autouse=True)
def broker_kept_out(monkeypatch) -> None:
    """These transactions really commit, so the relay would send to the machine's broker."""
    monkeypatch.setattr(outbox, "send_to_broker", lambda envelopes: None)


def run_at_once(work: list[Callable[[], object]]) -> list[Exception]:
    """Runs each callable in its own thread (so its own connection), all released together
    once every thread has connected, so that they contend for the stock and not for sockets."""
    # A thread that cannot connect breaks the barrier for all instead of leaving them waiting.
    start = threading.Barrier(len(work), timeout=BARRIER_TIMEOUT_SECONDS)
    failures = []

    def run(function) -> None:
        try:
            connection.ensure_connection()
            start.wait()
            function()
        except Exception as error:
            failures.append(error)
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def reserve(product_quantities: list[tuple]) -> Callable[[], object]:
    lines = [{"product_id": str(p.id), "quantity": q} for p, q in product_quantities]
    return lambda: stock_reserve(order_id=uuid.uuid4(), lines=lines)


@pytest.mark.django_db(transaction=True)
def test_concurrent_single_unit_orders_hold_exactly_what_is_on_hand(stocked):
    tea = stocked(ON_HAND)

    failures = run_at_once([reserve([(tea, 1)]) for _ in range(CONCURRENT_ORDERS)])

    stock = Stock.objects.get(product=tea)
    assert failures == []
    assert (stock.on_hand, stock.reserved) == (ON_HAND, ON_HAND)
    assert Reservation.objects.filter(status=Reservation.Status.HELD).count() == ON_HAND
    assert len(published("stock.reserved")) == ON_HAND
    assert len(published("stock.rejected")) == CONCURRENT_ORDERS - ON_HAND


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_naming_products_in_opposite_orders_do_not_deadlock(stocked):
    tea, mug = stocked(ON_HAND), stocked(ON_HAND)
    work = [reserve([(tea, 1), (mug, 1)]) for _ in range(CONCURRENT_ORDERS // 2)]
    work += [reserve([(mug, 1), (tea, 1)]) for _ in range(CONCURRENT_ORDERS // 2)]

    failures = run_at_once(work)

    assert failures == []
    assert [Stock.objects.get(product=p).reserved for p in (tea, mug)] == [ON_HAND, ON_HAND]
    assert Reservation.objects.count() == ON_HAND
