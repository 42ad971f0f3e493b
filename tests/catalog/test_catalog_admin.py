"""catalog's admin: stock, reservations, adjustments and imports, shown by the operator's scopes."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from apps.catalog.models import ProductImport, ProductImportError
from apps.inventory.models import Reservation, StockAdjustment
from apps.inventory.services import stock_reserve
from common.jobs import JobStatus
from tests.catalog.conftest import stock_of

pytestmark = pytest.mark.django_db

SUPPORT = ["catalog.product.read", "catalog.stock.read"]
MANAGER = [*SUPPORT, "catalog.product.write", "catalog.stock.write", "catalog.import.run"]


@pytest.fixture
def held_tea(stocked):
    tea = stocked(10)
    stock_reserve(order_id=uuid.uuid4(), lines=[{"product_id": str(tea.id), "quantity": 3}])
    return tea


@pytest.mark.parametrize(
    "page",
    [
        "inventory/stock",
        "inventory/reservation",
        "inventory/stockadjustment",
        "catalog/productimport",
    ],
)
def test_support_sees_stock_reservations_adjustments_and_imports(operator_client, held_tea, page):
    client = operator_client(*SUPPORT)

    assert client.get(f"/catalog/admin/{page}/").status_code == 200


def test_nobody_changes_a_reservation_or_an_import_by_hand(operator_client, held_tea):
    client = operator_client(*MANAGER)
    reservation = Reservation.objects.get()
    job = ProductImport.objects.create(source="sku\n", total_rows=1, requested_by="tests")
    ProductImportError.objects.create(product_import=job, row=2, field="price", message="Bad.")

    reservation_page = client.get(f"/catalog/admin/inventory/reservation/{reservation.id}/change/")
    import_page = client.get(f"/catalog/admin/catalog/productimport/{job.id}/change/")

    assert reservation_page.status_code == import_page.status_code == 200
    assert b'name="_save"' not in reservation_page.content
    assert b'name="_save"' not in import_page.content
    assert b"Bad." in import_page.content


def test_support_reads_stock_but_cannot_save_it(operator_client, held_tea):
    client = operator_client(*SUPPORT)

    page = client.get(f"/catalog/admin/inventory/stock/{held_tea.id}/change/")

    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_a_manager_saving_stock_records_an_adjustment_and_keeps_reservations(
    operator_client, held_tea
):
    client = operator_client(*MANAGER)
    get_user_model().objects.update(email="operator@mercato.test")
    url = f"/catalog/admin/inventory/stock/{held_tea.id}/change/"

    saved = client.post(url, {"on_hand": 12})
    refused = client.post(url, {"on_hand": 2})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert b"3 units are reserved" in refused.content
    assert stock_of(held_tea) == (12, 3)
    adjustment = StockAdjustment.objects.get()
    assert (adjustment.delta, adjustment.actor) == (2, "operator@mercato.test")


def test_a_failed_import_shows_its_status_and_error(operator_client):
    client = operator_client(*SUPPORT)
    job = ProductImport.objects.create(
        source="sku\n",
        total_rows=1,
        requested_by="tests",
        status=JobStatus.FAILED,
        error="RuntimeError: the disk is full",
    )

    listed = client.get("/catalog/admin/catalog/productimport/?status__exact=FAILED")
    page = client.get(f"/catalog/admin/catalog/productimport/{job.id}/change/")

    assert listed.status_code == page.status_code == 200
    assert f"{job.id}".encode() in listed.content
    assert b"Failed" in page.content
    assert b"RuntimeError: the disk is full" in page.content
