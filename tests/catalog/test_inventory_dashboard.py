"""catalog's dashboard: the products running low and the held reservations by expiry, counted in
SQL, shown on the admin index to operators who read stock, at a fixed number of queries."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.inventory.models import Reservation, Stock
from apps.inventory.selectors import held_reservations, products_low_on_stock
from common.testing.admin import admin_index, dashboard_with_more_rows
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

# Low stock one query; reservations one, and one for the units held.
PANEL_QUERIES = 3


def held(*, expires_in: timedelta, status: str = Reservation.Status.HELD) -> Reservation:
    return Reservation.objects.create(
        order_id=uuid.uuid4(), status=status, expires_at=timezone.now() + expires_in
    )


def test_products_at_or_below_the_threshold_are_listed_lowest_first(stocked):
    stocked(on_hand=50, name="Plenty")
    scarce = stocked(on_hand=8, name="Scarce")
    Stock.objects.filter(product=scarce).update(reserved=5)
    stocked(on_hand=10, name="At threshold")
    ProductFactory(name="Never stocked")
    stocked(on_hand=0, name="Archived", is_active=False)

    low = products_low_on_stock(threshold=10, limit=2)

    assert low.count == 3
    assert [(name, available) for _, name, available in low.products] == [
        ("Never stocked", 0),
        ("Scarce", 3),
    ]


def test_held_reservations_are_counted_by_how_soon_they_expire(stocked):
    Stock.objects.filter(product=stocked(on_hand=9)).update(reserved=4)
    held(expires_in=timedelta(minutes=-1))
    held(expires_in=timedelta(minutes=2))
    held(expires_in=timedelta(minutes=3))
    held(expires_in=timedelta(minutes=10))
    held(expires_in=timedelta(minutes=20))
    held(expires_in=timedelta(minutes=2), status=Reservation.Status.COMMITTED)

    counts = held_reservations(now=timezone.now())

    assert (counts.expired, counts.within_five_minutes) == (1, 2)
    assert (counts.within_fifteen_minutes, counts.later, counts.units) == (1, 1, 4)


def test_the_index_shows_both_panels_at_the_same_number_of_queries_for_more_rows(
    operator_client, stocked
):
    stocked(on_hand=1, name="Last one")

    def more_rows() -> None:
        for _ in range(15):
            stocked(on_hand=2)
            held(expires_in=timedelta(minutes=2))

    page = dashboard_with_more_rows(
        operator_client, "catalog.stock.read", more_rows=more_rows, panel_queries=PANEL_QUERIES
    )

    assert "Stock running low" in page
    assert "Reservations held" in page
    assert "16 products on sale have 10 units or fewer" in page
    assert "<title>Expiring within 5 minutes: 15</title>" in page


def test_the_panels_are_hidden_from_an_operator_who_cannot_read_stock(operator_client):
    client = operator_client("catalog.admin.access", "catalog.product.read")

    _, page = admin_index(client)

    assert "Stock running low" not in page
    assert 'class="dashboard-panels"' not in page
