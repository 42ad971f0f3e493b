"""orders' admin: read_any sees orders with their lines and history; nobody edits them."""

import pytest

from apps.orders.models import OrderExport, OrderStatus
from common.jobs import JobStatus
from tests.orders.conftest import order_in

pytestmark = pytest.mark.django_db

ORDERS_ADMIN = "/orders/admin/orders/order/"


def test_support_reads_an_order_with_its_lines_and_history_but_cannot_save_it(operator_client):
    client = operator_client("orders.admin.access", "orders.order.read_any")
    order = order_in(OrderStatus.PENDING)
    order.transition(OrderStatus.CANCELLED, reason="fraud check", actor="support-1")

    change_page = client.get(f"{ORDERS_ADMIN}{order.id}/change/")

    assert client.get(ORDERS_ADMIN).status_code == 200
    assert change_page.status_code == 200
    assert b'name="_save"' not in change_page.content
    assert b"fraud check" in change_page.content
    assert order.lines.get().sku.encode() in change_page.content
    assert client.get(f"{ORDERS_ADMIN}add/").status_code == 403


def test_an_operator_without_read_any_does_not_see_orders(operator_client):
    client = operator_client("orders.admin.access", "catalog.product.read")

    assert client.get(ORDERS_ADMIN).status_code == 403


def test_a_failed_export_shows_its_status_and_error(operator_client):
    client = operator_client("orders.admin.access", "orders.order.export")
    export = OrderExport.objects.create(
        requested_by="finance-1", status=JobStatus.FAILED, error="ValidationError: not a time"
    )

    listed = client.get("/orders/admin/orders/orderexport/?status__exact=FAILED")
    page = client.get(f"/orders/admin/orders/orderexport/{export.id}/change/")

    assert listed.status_code == page.status_code == 200
    assert str(export.id).encode() in listed.content
    assert b"Failed" in page.content
    assert b"ValidationError: not a time" in page.content
