"""Reservations hold all of an order's lines or none; later steps act once, from their state."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.inventory.models import Reservation, Stock, StockAdjustment
from apps.inventory.services import (
    ADJUSTMENT_REFUSED,
    reservation_commit,
    reservation_release,
    reservation_return,
    reservations_expire,
    stock_adjust,
    stock_reserve,
)
from common.errors import ApplicationError
from common.testing.events import published, published_data
from tests.catalog.conftest import stock_of
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db


def line(product, quantity: int) -> dict:
    return {"product_id": str(product.id), "quantity": quantity}


@pytest.fixture
def order_id() -> uuid.UUID:
    return uuid.uuid4()


def test_a_reservation_holds_every_line_and_announces_it(stocked, order_id, settings):
    settings.RESERVATION_TTL_SECONDS = 600
    tea, mug = stocked(5), stocked(3)

    reservation = stock_reserve(order_id=order_id, lines=[line(tea, 2), line(mug, 3)])

    assert reservation.status == Reservation.Status.HELD
    assert sorted(reservation.lines.values_list("product_id", "quantity")) == sorted(
        [(tea.id, 2), (mug.id, 3)]
    )
    assert (stock_of(tea), stock_of(mug)) == ((5, 2), (3, 3))
    expected_expiry = timezone.now() + timedelta(seconds=600)
    assert abs(reservation.expires_at - expected_expiry) < timedelta(seconds=5)
    assert published_data("stock.reserved") == [{"order_id": str(order_id)}]
    assert published("stock.rejected") == []


def test_one_short_line_holds_nothing_and_names_only_the_short_product(stocked, order_id):
    tea, mug, pot = stocked(5), stocked(1), stocked(4)

    result = stock_reserve(order_id=order_id, lines=[line(tea, 2), line(mug, 2), line(pot, 4)])

    assert result is None
    assert not Reservation.objects.exists()
    assert [stock_of(product) for product in (tea, mug, pot)] == [(5, 0), (1, 0), (4, 0)]
    assert published_data("stock.rejected") == [
        {"order_id": str(order_id), "reason": "out_of_stock", "product_ids": [str(mug.id)]}
    ]
    assert published("stock.reserved") == []


def test_every_short_line_is_named(stocked, order_id):
    tea, mug = stocked(1), stocked(0)

    stock_reserve(order_id=order_id, lines=[line(tea, 2), line(mug, 1)])

    (rejection,) = published_data("stock.rejected")
    assert sorted(rejection["product_ids"]) == sorted([str(tea.id), str(mug.id)])


def test_lines_of_one_product_are_held_together(stocked, order_id):
    tea = stocked(3)

    refused = stock_reserve(order_id=order_id, lines=[line(tea, 2), line(tea, 2)])

    assert refused is None
    assert stock_of(tea) == (3, 0)


def test_a_product_without_a_stock_row_is_out_of_stock(order_id):
    product = ProductFactory()

    stock_reserve(order_id=order_id, lines=[line(product, 1)])

    assert published_data("stock.rejected")[0]["reason"] == "out_of_stock"


@pytest.mark.parametrize("missing", ["unknown", "archived"])
def test_an_unknown_or_archived_product_rejects_the_order_as_unknown(stocked, order_id, missing):
    tea = stocked(5)
    other = stocked(5, is_active=False) if missing == "archived" else ProductFactory.build()

    stock_reserve(order_id=order_id, lines=[line(tea, 1), line(other, 1)])

    assert published_data("stock.rejected") == [
        {"order_id": str(order_id), "reason": "unknown_product", "product_ids": [str(other.id)]}
    ]
    assert stock_of(tea) == (5, 0)
    assert not Reservation.objects.exists()


def test_an_order_already_reserved_is_not_reserved_again(stocked, order_id):
    tea = stocked(5)
    first = stock_reserve(order_id=order_id, lines=[line(tea, 2)])

    again = stock_reserve(order_id=order_id, lines=[line(tea, 2)])

    assert again == first
    assert stock_of(tea) == (5, 2)
    assert len(published("stock.reserved")) == 1


@pytest.fixture
def held(stocked, order_id):
    """An order holding 2 of a product with 5 on hand."""
    product = stocked(5)
    stock_reserve(order_id=order_id, lines=[line(product, 2)])
    return product


def status_of(order_id) -> str:
    return Reservation.objects.get(order_id=order_id).status


def test_commit_takes_the_held_units_off_the_shelf(held, order_id):
    reservation_commit(order_id=order_id)

    assert status_of(order_id) == Reservation.Status.COMMITTED
    assert stock_of(held) == (3, 0)


def test_release_frees_the_held_units_and_announces_why(held, order_id):
    reservation_release(order_id=order_id, reason="payment_failed")

    reservation = Reservation.objects.get(order_id=order_id)
    assert (reservation.status, reservation.release_reason) == ("RELEASED", "payment_failed")
    assert stock_of(held) == (5, 0)
    assert published_data("stock.released") == [
        {"order_id": str(order_id), "reason": "payment_failed"}
    ]


def test_return_puts_committed_units_back_on_the_shelf(held, order_id):
    reservation_commit(order_id=order_id)

    reservation_return(order_id=order_id)

    assert status_of(order_id) == Reservation.Status.RETURNED
    assert stock_of(held) == (5, 0)


def test_a_second_commit_changes_nothing(held, order_id):
    reservation_commit(order_id=order_id)
    reservation_commit(order_id=order_id)

    assert stock_of(held) == (3, 0)


def test_a_late_release_after_commit_changes_nothing(held, order_id):
    reservation_commit(order_id=order_id)

    reservation_release(order_id=order_id, reason="late")

    assert status_of(order_id) == Reservation.Status.COMMITTED
    assert stock_of(held) == (3, 0)
    assert published("stock.released") == []


def test_a_late_commit_after_release_changes_nothing(held, order_id):
    reservation_release(order_id=order_id, reason="cancelled")

    reservation_commit(order_id=order_id)
    reservation_release(order_id=order_id, reason="cancelled")

    assert status_of(order_id) == Reservation.Status.RELEASED
    assert stock_of(held) == (5, 0)
    assert len(published("stock.released")) == 1


def test_returning_a_held_or_returned_reservation_changes_nothing(held, order_id):
    reservation_return(order_id=order_id)
    assert (status_of(order_id), stock_of(held)) == ("HELD", (5, 2))

    reservation_commit(order_id=order_id)
    reservation_return(order_id=order_id)
    reservation_return(order_id=order_id)

    assert (status_of(order_id), stock_of(held)) == ("RETURNED", (5, 0))


def test_steps_for_an_order_without_a_reservation_change_nothing(stocked):
    tea = stocked(5)
    rejected = uuid.uuid4()
    stock_reserve(order_id=rejected, lines=[line(tea, 9)])

    assert reservation_release(order_id=rejected, reason="out_of_stock") is None
    assert reservation_commit(order_id=rejected) is None
    assert reservation_return(order_id=rejected) is None
    assert stock_of(tea) == (5, 0)
    assert published("stock.released") == []


def test_expiry_releases_only_held_reservations_past_their_time(stocked):
    tea = stocked(10)
    due, fresh, paid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for order_id in (due, fresh, paid):
        stock_reserve(order_id=order_id, lines=[line(tea, 2)])
    reservation_commit(order_id=paid)
    Reservation.objects.filter(order_id__in=[due, paid]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert reservations_expire() == 1

    assert (status_of(due), status_of(fresh), status_of(paid)) == ("RELEASED", "HELD", "COMMITTED")
    assert Reservation.objects.get(order_id=due).release_reason == "expired"
    assert stock_of(tea) == (8, 2)
    assert published_data("stock.released") == [{"order_id": str(due), "reason": "expired"}]


def test_expiry_works_through_every_batch(stocked):
    tea = stocked(10)
    for _ in range(5):
        stock_reserve(order_id=uuid.uuid4(), lines=[line(tea, 1)])
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert reservations_expire(batch_size=2) == 5

    assert stock_of(tea) == (10, 0)
    assert not Reservation.objects.filter(status=Reservation.Status.HELD).exists()


def test_the_expiry_task_is_on_the_beat_schedule(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["expire-reservations"]

    assert schedule["task"] == "catalog.reservations_expire"
    assert schedule["schedule"] == 30
    assert settings.RESERVATION_TTL_SECONDS == 1800


def test_an_adjustment_changes_on_hand_and_is_recorded(stocked):
    tea = stocked(5)

    stock = stock_adjust(product=tea, delta=-3, reason="broken jars", actor="manager-1")

    assert (stock.on_hand, stock.reserved) == (2, 0)
    adjustment = StockAdjustment.objects.get()
    assert (adjustment.delta, adjustment.on_hand_after) == (-3, 2)
    assert (adjustment.reason, adjustment.actor) == ("broken jars", "manager-1")


def test_an_adjustment_gives_a_product_without_stock_its_row():
    product = ProductFactory()

    stock = stock_adjust(product=product, delta=4, reason="delivery", actor="manager-1")

    assert Stock.objects.get(product=product).on_hand == stock.on_hand == 4


def test_an_adjustment_below_what_is_reserved_is_refused_naming_delta(held):
    with pytest.raises(ApplicationError) as refused:
        stock_adjust(product=held, delta=-4, reason="stocktake", actor="manager-1")

    assert refused.value.message == ADJUSTMENT_REFUSED
    assert refused.value.status == 409
    assert list(refused.value.errors) == ["delta"]
    assert stock_of(held) == (5, 2)
    assert not StockAdjustment.objects.exists()


def test_an_adjustment_may_take_away_exactly_what_is_available(held):
    stock = stock_adjust(product=held, delta=-3, reason="stocktake", actor="manager-1")

    assert (stock.on_hand, stock.reserved) == (2, 2)


def test_an_adjustment_below_zero_is_refused_for_a_product_without_stock():
    product = ProductFactory()

    with pytest.raises(ApplicationError):
        stock_adjust(product=product, delta=-1, reason="stocktake", actor="manager-1")

    assert not Stock.objects.filter(product=product).exists()
