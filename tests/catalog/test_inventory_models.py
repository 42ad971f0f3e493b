"""Stock rows: the database itself refuses negative or over-reserved stock."""

import pytest
from django.db import IntegrityError, transaction

from apps.inventory.models import Stock
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock() -> Stock:
    return Stock.objects.create(product=ProductFactory(), on_hand=5, reserved=2)


def test_available_is_on_hand_minus_reserved(stock):
    assert stock.available == 3


def test_reserving_everything_on_hand_is_allowed(stock):
    Stock.objects.filter(pk=stock.pk).update(reserved=5)

    stock.refresh_from_db()
    assert stock.available == 0


def test_the_database_refuses_more_reserved_than_on_hand(stock):
    refused = pytest.raises(IntegrityError, match="inventory_stock_reserved_within_on_hand")
    with refused, transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(reserved=6)

    stock.refresh_from_db()
    assert stock.reserved == 2


def test_the_database_refuses_lowering_on_hand_below_reserved(stock):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(on_hand=1)


@pytest.mark.parametrize("field", ["on_hand", "reserved"])
def test_the_database_refuses_negative_stock(stock, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(**{field: -1})

    stock.refresh_from_db()
    assert (stock.on_hand, stock.reserved) == (5, 2)


def test_a_new_stock_row_cannot_start_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.create(product=ProductFactory(), on_hand=-1)
