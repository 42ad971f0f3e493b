"""payments' admin: operators with `payments.payment.read_any` look, nobody edits."""

import pytest

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
