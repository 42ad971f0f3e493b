"""payments' admin: operators with `payments.payment.read_any` look, nobody edits; finance
retries a stalled payment, confirmed and audited."""

import pytest
from django.utils import timezone

from apps.payments.models import PaymentStatus
from apps.payments.services import NOTHING_TO_RETRY, PAYMENT_REFUND_TASK
from common.audit.models import AuditEntry
from common.operator_admin.columns import ORDER, PAYMENTS_OF_ORDER
from common.operator_admin.people.services import person_remember
from common.testing.admin import action_run, signed_in_user
from common.testing.celery import tasks_sent
from common.testing.events import published_data
from tests.payments.factories import PaymentFactory

pytestmark = pytest.mark.django_db

PAYMENTS_ADMIN = "/payments/admin/payments/payment/"


def test_support_reads_a_payment_but_cannot_save_or_add_one(operator_client):
    client = operator_client("payments.admin.access", "payments.payment.read_any")
    payment = PaymentFactory()

    change_page = client.get(f"{PAYMENTS_ADMIN}{payment.id}/change/")

    assert client.get(PAYMENTS_ADMIN).status_code == 200
    assert change_page.status_code == 200
    assert b'name="_save"' not in change_page.content
    assert client.get(f"{PAYMENTS_ADMIN}add/").status_code == 403


def test_an_operator_without_read_any_does_not_see_payments(operator_client):
    client = operator_client("payments.admin.access", "catalog.product.read")

    assert client.get(PAYMENTS_ADMIN).status_code == 403


REQUEST_ID = "admin-retry-1"
FINANCE_SCOPES = ("payments.admin.access", "payments.payment.read_any", "payments.payment.retry")


def test_finance_retries_a_stalled_charge_which_then_settles_as_a_worker_would(
    operator_client, committed
):
    client = operator_client(*FINANCE_SCOPES)
    payment = PaymentFactory()

    with committed():
        run = action_run(client, PAYMENTS_ADMIN, "retry", [payment], request_id=REQUEST_ID)

    assert b"Retry the selected stalled payments?" in run.confirmation.content
    assert b"queued again." in run.done.content
    payment.refresh_from_db()
    assert (payment.status, payment.attempts) == (PaymentStatus.SUCCEEDED, 1)
    assert published_data("payment.succeeded")[0]["payment_id"] == str(payment.id)
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.target_id, entry.request_id) == (
        signed_in_user(client).username,
        "payments.payment.retry",
        str(payment.id),
        REQUEST_ID,
    )
    untouched = {"status": "PENDING", "attempts": 0, "refund_failure_reason": ""}
    assert (entry.before, entry.after) == (untouched, untouched)


def test_a_retried_refund_that_the_provider_declined_gets_another_try(operator_client, committed):
    client = operator_client(*FINANCE_SCOPES)
    payment = PaymentFactory(
        status=PaymentStatus.SUCCEEDED,
        refund_requested_at=timezone.now(),
        refund_failure_reason="provider_unavailable",
    )

    with tasks_sent() as sent, committed():
        action_run(client, PAYMENTS_ADMIN, "retry", [payment])

    payment.refresh_from_db()
    assert payment.refund_failure_reason == ""
    assert [(task.name, task.args) for task in sent] == [(PAYMENT_REFUND_TASK, (str(payment.id),))]
    entry = AuditEntry.objects.get()
    assert entry.before["refund_failure_reason"] == "provider_unavailable"
    assert entry.after["refund_failure_reason"] == ""


def test_a_settled_payment_has_nothing_to_retry(operator_client):
    client = operator_client(*FINANCE_SCOPES)
    payment = PaymentFactory(status=PaymentStatus.FAILED, failure_reason="card_declined")

    run = action_run(client, PAYMENTS_ADMIN, "retry", [payment])

    assert NOTHING_TO_RETRY.encode() in run.done.content
    assert AuditEntry.objects.get().refusal == NOTHING_TO_RETRY


def test_support_is_neither_offered_nor_allowed_a_retry(operator_client, committed):
    client = operator_client("payments.admin.access", "payments.payment.read_any")
    payment = PaymentFactory()

    listing = client.get(PAYMENTS_ADMIN)
    with tasks_sent() as sent, committed():
        run = action_run(client, PAYMENTS_ADMIN, "retry", [payment])

    assert b'value="retry"' not in listing.content
    assert b"Retry the selected" not in run.confirmation.content
    assert b"queued again" not in run.done.content
    assert sent == []
    assert not AuditEntry.objects.exists()


def test_money_cannot_be_edited_in_the_admin(operator_client):
    client = operator_client(*FINANCE_SCOPES)
    payment = PaymentFactory()

    page = client.get(f"{PAYMENTS_ADMIN}{payment.id}/change/").content

    assert b'name="amount"' not in page
    assert b"12.50" in page


def test_a_payment_links_to_its_order_and_names_its_customer_by_email(operator_client):
    client = operator_client("payments.admin.access", "payments.payment.read_any")
    payment = PaymentFactory()
    person_remember(
        user_id=str(payment.customer_id), email="ada@mercato.test", as_of=timezone.now()
    )

    listed = client.get(PAYMENTS_ADMIN).content.decode()
    change_page = client.get(f"{PAYMENTS_ADMIN}{payment.id}/change/").content.decode()

    assert f'<a href="{ORDER.path(payment.order_id)}">{payment.order_id}</a>' in listed
    assert "ada@mercato.test" in listed
    assert str(payment.customer_id) not in listed
    assert f'href="{ORDER.path(payment.order_id)}"' in change_page
    assert "ada@mercato.test" in change_page


def test_the_link_an_order_gives_to_its_payments_lists_that_orders_alone(operator_client):
    client = operator_client("payments.admin.access", "payments.payment.read_any")
    payment, other = PaymentFactory(), PaymentFactory()

    listed = client.get(PAYMENTS_OF_ORDER.path(payment.order_id)).content.decode()

    assert str(payment.id) in listed
    assert str(other.id) not in listed
