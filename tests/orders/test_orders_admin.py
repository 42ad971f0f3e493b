"""orders' admin: read_any sees orders with their lines and history, nobody edits them; support
cancels and finance refunds, confirmed and audited."""

import pytest
from django.utils import timezone

from apps.orders.models import OrderExport, OrderStatus
from apps.orders.services import ORDER_NOT_CANCELLABLE
from common.audit.models import AuditEntry
from common.jobs import JobStatus
from common.operator_admin.columns import EVERYTHING_OF_ORDER, ORDER
from common.operator_admin.people.services import person_remember
from common.testing.admin import action_run, signed_in_user
from common.testing.events import published_data
from tests.orders.conftest import FINANCE_SCOPES, SUPPORT_SCOPES, order_in

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


REQUEST_ID = "admin-action-1"


def test_support_cancels_an_unpaid_order_after_confirming_and_the_audit_log_says_so(
    operator_client,
):
    client = operator_client("orders.admin.access", *SUPPORT_SCOPES)
    order = order_in(OrderStatus.AWAITING_PAYMENT)

    run = action_run(
        client, ORDERS_ADMIN, "cancel", [order], request_id=REQUEST_ID, reason="customer phoned"
    )

    assert run.confirmation.status_code == 200
    assert b"Cancel the selected orders?" in run.confirmation.content
    assert b'name="reason"' in run.confirmation.content
    assert b"style=" not in run.confirmation.content  # the CSP allows no inline style
    assert b"cancelled." in run.done.content
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "customer phoned")
    operator = signed_in_user(client)
    assert order.history.last().actor == operator.username
    assert published_data("order.cancelled")[0]["reason"] == "customer phoned"
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id) == (
        operator.username,
        "orders.order.cancel",
        "orders.order",
        str(order.id),
    )
    assert entry.before == {"status": "AWAITING_PAYMENT", "cancel_reason": ""}
    assert entry.after == {"status": "CANCELLED", "cancel_reason": "customer phoned"}
    assert entry.arguments == {"reason": "customer phoned"}
    assert (entry.request_id, entry.refusal) == (REQUEST_ID, "")


def test_the_confirmation_page_alone_changes_nothing(operator_client):
    client = operator_client("orders.admin.access", *SUPPORT_SCOPES)
    order = order_in(OrderStatus.PENDING)

    page = client.post(ORDERS_ADMIN, {"action": "cancel", "_selected_action": [str(order.id)]})

    assert page.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not AuditEntry.objects.exists()


def test_finance_refunds_a_confirmed_order_through_the_apis_service(operator_client):
    client = operator_client("orders.admin.access", *FINANCE_SCOPES)
    order = order_in(OrderStatus.CONFIRMED)

    run = action_run(client, ORDERS_ADMIN, "refund", [order], request_id=REQUEST_ID)

    assert run.confirmation.status_code == 200
    assert b"Refund the selected orders?" in run.confirmation.content
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUND_PENDING
    assert published_data("order.refund_requested")[0]["order_id"] == str(order.id)
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.request_id) == (
        signed_in_user(client).username,
        "orders.order.refund",
        REQUEST_ID,
    )
    assert (entry.before["status"], entry.after["status"]) == ("CONFIRMED", "REFUND_PENDING")


def test_support_is_neither_offered_nor_allowed_the_refund(operator_client):
    client = operator_client("orders.admin.access", *SUPPORT_SCOPES)
    order = order_in(OrderStatus.CONFIRMED)

    listing = client.get(ORDERS_ADMIN)
    run = action_run(client, ORDERS_ADMIN, "refund", [order])

    assert b'value="cancel"' in listing.content
    assert b'value="refund"' not in listing.content
    assert b"No action selected" in run.done.content
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert not AuditEntry.objects.exists()


def test_finance_is_not_allowed_to_cancel(operator_client):
    client = operator_client("orders.admin.access", *FINANCE_SCOPES)
    order = order_in(OrderStatus.PENDING)

    run = action_run(client, ORDERS_ADMIN, "cancel", [order], reason="forged")

    assert b"No action selected" in run.done.content
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not AuditEntry.objects.exists()


def test_a_refused_cancel_changes_nothing_and_is_audited_with_the_services_reason(
    operator_client,
):
    client = operator_client("orders.admin.access", *SUPPORT_SCOPES)
    order = order_in(OrderStatus.CONFIRMED)

    run = action_run(client, ORDERS_ADMIN, "cancel", [order], reason="too late")

    assert ORDER_NOT_CANCELLABLE.encode() in run.done.content
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    entry = AuditEntry.objects.get()
    assert entry.refusal == ORDER_NOT_CANCELLABLE
    assert entry.before == entry.after == {"status": "CONFIRMED", "cancel_reason": ""}


def test_money_and_history_cannot_be_edited_even_by_an_admin(operator_client):
    client = operator_client("orders.admin.access", *SUPPORT_SCOPES, *FINANCE_SCOPES)
    order = order_in(OrderStatus.CONFIRMED)

    page = client.get(f"{ORDERS_ADMIN}{order.id}/change/").content

    for field in (b'name="total"', b'name="status"', b'name="lines-0-unit_price"'):
        assert field not in page
    assert b'name="history-0-to_status"' not in page


def test_orders_name_their_customer_by_email_and_an_unknown_one_by_id(operator_client):
    client = operator_client("orders.admin.access", "orders.order.read_any")
    known = order_in(OrderStatus.CONFIRMED)
    person_remember(user_id=str(known.customer_id), email="ada@mercato.test", as_of=timezone.now())
    unknown = order_in(OrderStatus.CONFIRMED)

    listed = client.get(ORDERS_ADMIN).content.decode()
    change_page = client.get(f"{ORDERS_ADMIN}{known.id}/change/").content.decode()

    assert "ada@mercato.test" in listed
    assert str(unknown.customer_id) in listed
    assert str(known.customer_id) not in listed
    assert "ada@mercato.test" in change_page


def test_an_order_links_to_its_payments_notifications_deliveries_and_reservation(
    operator_client,
):
    client = operator_client("orders.admin.access", "orders.order.read_any")
    order = order_in(OrderStatus.CONFIRMED)

    change_page = client.get(f"{ORDERS_ADMIN}{order.id}/change/").content.decode()

    for link in EVERYTHING_OF_ORDER:
        assert f'href="{link.path(order.id)}"' in change_page.replace("&amp;", "&")


def test_the_link_other_admins_give_to_an_order_lists_that_order_alone(operator_client):
    client = operator_client("orders.admin.access", "orders.order.read_any")
    order, other = order_in(), order_in()

    listed = client.get(ORDER.path(order.id)).content.decode()

    assert str(order.id) in listed
    assert str(other.id) not in listed


def test_times_are_shown_to_the_second(operator_client):
    client = operator_client("orders.admin.access", "orders.order.read_any")
    order = order_in()

    listed = client.get(ORDERS_ADMIN).content.decode()

    assert order.created_at.strftime("%Y-%m-%d %H:%M:%S UTC") in listed


EXPORTS_ADMIN = "/orders/admin/orders/orderexport/"


def test_a_finished_export_shows_its_progress_and_a_link_that_downloads_its_file(
    operator_client,
):
    client = operator_client("orders.admin.access", "orders.order.export")
    export = OrderExport.objects.create(
        requested_by="finance-1",
        status=JobStatus.SUCCEEDED,
        total_rows=1,
        processed_rows=1,
        row_count=1,
        content="id,status\norder-1,CONFIRMED\n",
    )
    download_url = f"{EXPORTS_ADMIN}{export.id}/download/"

    listed = client.get(EXPORTS_ADMIN)
    page = client.get(f"{EXPORTS_ADMIN}{export.id}/change/")
    download = client.get(download_url)

    assert b'<progress value="1" max="1">' in listed.content
    assert download_url.encode() in listed.content
    assert download_url.encode() in page.content
    assert b" style=" not in listed.content
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="orders-{export.id}.csv"'
    assert download.content == b"id,status\norder-1,CONFIRMED\n"


def test_a_running_export_shows_how_far_it_is_and_has_no_file_yet(operator_client):
    client = operator_client("orders.admin.access", "orders.order.export")
    export = OrderExport.objects.create(
        requested_by="finance-1", status=JobStatus.RUNNING, total_rows=4000, processed_rows=2000
    )

    listed = client.get(EXPORTS_ADMIN)

    assert b'<progress value="2000" max="4000">50%</progress> 2000 of 4000' in listed.content
    assert b"/download/" not in listed.content
    assert client.get(f"{EXPORTS_ADMIN}{export.id}/download/").status_code == 404


def test_an_operator_without_the_export_scope_cannot_download_an_export(operator_client):
    client = operator_client("orders.admin.access", "orders.order.read_any")
    export = OrderExport.objects.create(
        requested_by="finance-1", status=JobStatus.SUCCEEDED, row_count=0, content="id\n"
    )

    assert client.get(f"{EXPORTS_ADMIN}{export.id}/download/").status_code == 403
