"""Cancelling before payment and refunding after it: who may, from which status, what follows."""

import pytest

from apps.orders.models import OrderStatus
from common.testing.events import published, published_data
from tests.orders.conftest import FINANCE_SCOPES, SUPPORT_SCOPES, detail_url, order_in

pytestmark = pytest.mark.django_db


def cancel_url(order) -> str:
    return f"{detail_url(order.id)}cancel/"


def refund_url(order) -> str:
    return f"{detail_url(order.id)}refund/"


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.AWAITING_PAYMENT])
def test_a_customer_cancels_an_own_unpaid_order(api_client, customer, status):
    order = order_in(status, customer_id=customer.id)

    response = api_client.post(cancel_url(order), {"reason": "changed my mind"}, **customer.headers)

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "CANCELLED"
    assert body["cancel_reason"] == "changed my mind"
    assert body["history"][-1]["actor"] == customer.id
    assert [data["reason"] for data in published_data("order.cancelled")] == ["changed my mind"]
    assert published_data("order.cancelled")[0]["order_id"] == str(order.id)


def test_the_reason_is_optional(api_client, customer):
    order = order_in(customer_id=customer.id)

    response = api_client.post(cancel_url(order), **customer.headers)

    assert response.json()["cancel_reason"] == "cancelled on request"


@pytest.mark.parametrize("reason", ["é" * 10_000, "changed\x00my mind"])
def test_a_reason_too_long_or_holding_a_nul_is_a_400_naming_it(api_client, customer, reason):
    order = order_in(customer_id=customer.id)

    response = api_client.post(cancel_url(order), {"reason": reason}, **customer.headers)

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["reason"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.CONFIRMED,
        OrderStatus.CANCELLED,
        OrderStatus.REFUND_PENDING,
        OrderStatus.REFUNDED,
    ],
)
def test_cancelling_after_payment_or_twice_is_a_409_naming_the_status(api_client, customer, status):
    order = order_in(status, customer_id=customer.id)

    response = api_client.post(cancel_url(order), **customer.headers)

    assert response.status_code == 409
    assert response.json()["type"] == "urn:mercato:problem:order_not_cancellable"
    assert response.json()["order_status"] == status
    assert published() == []


def test_support_cancels_any_unpaid_order(api_client, caller):
    order = order_in(OrderStatus.AWAITING_PAYMENT)
    support = caller(*SUPPORT_SCOPES)

    response = api_client.post(cancel_url(order), {"reason": "fraud check"}, **support.headers)

    assert response.status_code == 200
    assert response.json()["history"][-1]["actor"] == support.id


def test_cancelling_needs_a_cancel_scope(api_client, caller):
    reader = caller("orders.order.read")
    order = order_in(customer_id=reader.id)

    assert api_client.post(cancel_url(order), **reader.headers).status_code == 403


def test_finance_refunds_a_confirmed_order(api_client, caller):
    order = order_in(OrderStatus.CONFIRMED)
    finance = caller(*FINANCE_SCOPES)

    response = api_client.post(refund_url(order), **finance.headers)

    assert response.status_code == 200
    assert response.json()["status"] == "REFUND_PENDING"
    assert published_data("order.refund_requested") == [
        {
            "order_id": str(order.id),
            "customer_id": str(order.customer_id),
            "amount": "20.00",
            "currency": "EUR",
        }
    ]


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PENDING,
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.CANCELLED,
        OrderStatus.REFUND_PENDING,
        OrderStatus.REFUNDED,
    ],
)
def test_refunding_anything_but_a_confirmed_order_is_a_409(api_client, caller, status):
    order = order_in(status)

    response = api_client.post(refund_url(order), **caller(*FINANCE_SCOPES).headers)

    assert response.status_code == 409
    assert response.json()["type"] == "urn:mercato:problem:order_not_refundable"
    assert response.json()["order_status"] == status
    assert published() == []


def test_a_customer_may_not_refund_even_an_own_order(api_client, customer):
    order = order_in(OrderStatus.CONFIRMED, customer_id=customer.id)

    assert api_client.post(refund_url(order), **customer.headers).status_code == 403
