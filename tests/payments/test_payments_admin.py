"""payments' admin: operators with `payments.payment.read_any` look, nobody edits."""

import pytest

from common.auth.operators import SESSION_SCOPES_KEY
from common.testing.payments import PaymentFactory

pytestmark = pytest.mark.django_db

PAYMENTS_ADMIN = "/payments/admin/payments/payment/"


@pytest.fixture
def operator(client, django_user_model):
    """A signed-in operator holding `scopes`, as identity would have granted them."""

    def sign_in(*scopes: str):
        client.force_login(django_user_model.objects.create(username="operator", is_staff=True))
        session = client.session
        session[SESSION_SCOPES_KEY] = ["payments.admin.access", *scopes]
        session.save()
        return client

    return sign_in


def test_support_reads_a_payment_but_cannot_save_or_add_one(operator):
    client = operator("payments.payment.read_any")
    payment = PaymentFactory()

    change_page = client.get(f"{PAYMENTS_ADMIN}{payment.id}/change/")

    assert client.get(PAYMENTS_ADMIN).status_code == 200
    assert change_page.status_code == 200
    assert b'name="_save"' not in change_page.content
    assert client.get(f"{PAYMENTS_ADMIN}add/").status_code == 403


def test_an_operator_without_read_any_does_not_see_payments(operator):
    client = operator("catalog.product.read")

    assert client.get(PAYMENTS_ADMIN).status_code == 403
