"""catalog's admin: stock, reservations, adjustments and imports, shown by the operator's scopes;
managers adjust stock with a reason, confirmed and audited."""

import uuid

import pytest
from django.utils import timezone

from apps.catalog.models import ProductImport, ProductImportError
from apps.inventory.models import Reservation, Stock, StockAdjustment
from apps.inventory.services import ADJUSTMENT_REFUSED, stock_adjust, stock_reserve
from common.audit.models import AuditEntry
from common.jobs import JobStatus
from common.operator_admin.columns import ORDER, RESERVATIONS_OF_ORDER
from common.operator_admin.people.services import person_remember
from common.testing.admin import action_run, signed_in_user
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


def test_a_manager_saving_stock_records_an_adjustment_keeps_reservations_and_is_audited(
    operator_client, held_tea
):
    client = operator_client(*MANAGER)
    operator = signed_in_user(client).username
    url = f"/catalog/admin/inventory/stock/{held_tea.id}/change/"

    saved = client.post(url, {"on_hand": 12}, headers={"X-Request-ID": "edit-1"})
    refused = client.post(url, {"on_hand": 2})
    unchanged = client.post(url, {"on_hand": 12})

    assert saved.status_code == unchanged.status_code == 302
    assert refused.status_code == 200
    assert b"3 units are reserved" in refused.content
    assert stock_of(held_tea) == (12, 3)
    adjustment = StockAdjustment.objects.get()
    assert (adjustment.delta, adjustment.actor) == (2, operator)
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.request_id, entry.arguments) == (
        operator,
        "catalog.stock.edit",
        "edit-1",
        {"on_hand": 12},
    )
    assert (entry.before, entry.after) == (
        {"on_hand": 10, "reserved": 3},
        {"on_hand": 12, "reserved": 3},
    )


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


STOCK_ADMIN = "/catalog/admin/inventory/stock/"


def test_a_manager_adjusts_stock_with_a_reason_as_the_api_does_and_it_is_audited(
    operator_client, held_tea
):
    client = operator_client("catalog.admin.access", *MANAGER)
    stock = Stock.objects.get(product=held_tea)

    run = action_run(
        client,
        STOCK_ADMIN,
        "adjust",
        [stock],
        request_id="adjust-1",
        delta="-4",
        reason="broken in the warehouse",
    )

    assert b"Adjust the stock of the selected products?" in run.confirmation.content
    assert b'name="delta"' in run.confirmation.content
    assert b"adjusted." in run.done.content
    assert stock_of(held_tea) == (6, 3)
    operator = signed_in_user(client).username
    adjustment = StockAdjustment.objects.get()
    assert (adjustment.delta, adjustment.reason, adjustment.actor) == (
        -4,
        "broken in the warehouse",
        operator,
    )
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.target_type, entry.request_id) == (
        operator,
        "catalog.stock.adjust",
        "inventory.stock",
        "adjust-1",
    )
    assert (entry.before, entry.after) == (
        {"on_hand": 10, "reserved": 3},
        {"on_hand": 6, "reserved": 3},
    )
    assert entry.arguments == {"delta": -4, "reason": "broken in the warehouse"}


def test_an_adjustment_needs_a_reason_and_a_change(operator_client, held_tea):
    client = operator_client("catalog.admin.access", *MANAGER)
    stock = Stock.objects.get(product=held_tea)

    run = action_run(client, STOCK_ADMIN, "adjust", [stock], delta="0", reason="")

    assert b"A change of zero units changes nothing." in run.done.content
    assert b"This field is required." in run.done.content
    assert stock_of(held_tea) == (10, 3)
    assert not AuditEntry.objects.exists()


def test_an_adjustment_below_what_is_reserved_is_refused_by_the_service(operator_client, held_tea):
    client = operator_client("catalog.admin.access", *MANAGER)
    stock = Stock.objects.get(product=held_tea)

    run = action_run(client, STOCK_ADMIN, "adjust", [stock], delta="-9", reason="count")

    assert ADJUSTMENT_REFUSED.encode() in run.done.content
    assert stock_of(held_tea) == (10, 3)
    assert not StockAdjustment.objects.exists()
    assert AuditEntry.objects.get().refusal.startswith(ADJUSTMENT_REFUSED)


def test_support_is_neither_offered_nor_allowed_a_stock_adjustment(operator_client, held_tea):
    client = operator_client("catalog.admin.access", *SUPPORT)
    stock = Stock.objects.get(product=held_tea)

    listing = client.get(STOCK_ADMIN)
    run = action_run(client, STOCK_ADMIN, "adjust", [stock], delta="5", reason="forged")

    assert b'value="adjust"' not in listing.content
    assert b"adjusted." not in run.done.content
    assert stock_of(held_tea) == (10, 3)
    assert not AuditEntry.objects.exists()


def test_the_link_an_order_gives_to_its_reservation_lists_it_alone(operator_client, stocked):
    client = operator_client(*SUPPORT)
    tea = stocked(10)
    order_id, other_order_id = uuid.uuid4(), uuid.uuid4()
    for about in (order_id, other_order_id):
        stock_reserve(order_id=about, lines=[{"product_id": str(tea.id), "quantity": 1}])

    listed = client.get(RESERVATIONS_OF_ORDER.path(order_id)).content.decode()

    assert f'<a href="{ORDER.path(order_id)}">{order_id}</a>' in listed
    assert str(other_order_id) not in listed


def test_an_adjustment_names_who_made_it_by_email(operator_client, stocked):
    client = operator_client(*SUPPORT)
    user_id = str(uuid.uuid4())
    person_remember(user_id=user_id, email="ada@mercato.test", as_of=timezone.now())
    stock_adjust(product=stocked(10), delta=5, reason="Counted", actor=user_id)

    listed = client.get("/catalog/admin/inventory/stockadjustment/").content.decode()

    assert "ada@mercato.test" in listed
    assert user_id not in listed


IMPORTS_ADMIN = "/catalog/admin/catalog/productimport/"


def import_with_rejected_rows(status: JobStatus) -> ProductImport:
    job = ProductImport.objects.create(
        source="sku\n", total_rows=400, processed_rows=200, requested_by="tests", status=status
    )
    ProductImportError.objects.create(product_import=job, row=3, field="price", message="Bad.")
    ProductImportError.objects.create(product_import=job, row=7, field="sku", message="Empty.")
    return job


def test_a_running_import_shows_how_far_it_is_and_no_report_yet(operator_client):
    client = operator_client(*SUPPORT)
    job = import_with_rejected_rows(JobStatus.RUNNING)

    listed = client.get(IMPORTS_ADMIN)

    assert b'<progress value="200" max="400">50%</progress> 200 of 400' in listed.content
    assert b"/download/" not in listed.content
    assert client.get(f"{IMPORTS_ADMIN}{job.id}/download/").status_code == 404


def test_a_finished_import_links_the_report_of_its_rejected_rows(operator_client):
    client = operator_client(*SUPPORT)
    job = import_with_rejected_rows(JobStatus.SUCCEEDED)
    clean = ProductImport.objects.create(
        source="sku\n", total_rows=1, processed_rows=1, requested_by="tests", status="SUCCEEDED"
    )
    download_url = f"{IMPORTS_ADMIN}{job.id}/download/"

    listed = client.get(IMPORTS_ADMIN)
    report = client.get(download_url)

    assert download_url.encode() in listed.content
    assert f"{IMPORTS_ADMIN}{clean.id}/download/".encode() not in listed.content
    assert client.get(f"{IMPORTS_ADMIN}{clean.id}/download/").status_code == 404
    assert report["Content-Disposition"] == (
        f'attachment; filename="import-{job.id}-rejected-rows.csv"'
    )
    assert report.content.decode().splitlines() == [
        "row,field,message",
        "3,price,Bad.",
        "7,sku,Empty.",
    ]


def test_an_operator_without_the_product_read_scope_cannot_download_a_report(operator_client):
    client = operator_client("catalog.admin.access", "catalog.stock.read")
    job = import_with_rejected_rows(JobStatus.SUCCEEDED)

    assert client.get(f"{IMPORTS_ADMIN}{job.id}/download/").status_code == 403
