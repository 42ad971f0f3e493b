"""Reading orders: customers see their own, read_any sees all, another's order is a 404."""

import pytest

from apps.orders.models import OrderStatus
from tests.orders.conftest import ORDERS_URL, SUPPORT_SCOPES, detail_url, order_in

pytestmark = pytest.mark.django_db


def ids(response) -> set[str]:
    return {order["id"] for order in response.json()["results"]}


def test_a_customer_lists_only_their_own_orders(api_client, customer):
    mine = [order_in(customer_id=customer.id) for _ in range(2)]
    order_in()

    response = api_client.get(ORDERS_URL, **customer.headers)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert ids(response) == {str(order.id) for order in mine}


def test_read_any_lists_every_order(api_client, caller):
    orders = [order_in() for _ in range(3)]

    response = api_client.get(ORDERS_URL, **caller(*SUPPORT_SCOPES).headers)

    assert ids(response) == {str(order.id) for order in orders}


def test_the_list_filters_by_status(api_client, customer):
    confirmed = order_in(OrderStatus.CONFIRMED, customer_id=customer.id)
    order_in(OrderStatus.PENDING, customer_id=customer.id)

    response = api_client.get(ORDERS_URL, {"status": "CONFIRMED"}, **customer.headers)

    assert ids(response) == {str(confirmed.id)}


def test_an_unknown_status_filter_is_a_400_naming_it(api_client, customer):
    response = api_client.get(ORDERS_URL, {"status": "SHIPPED"}, **customer.headers)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def test_a_listed_order_shows_its_lines_and_money_as_strings(api_client, customer):
    order = order_in(customer_id=customer.id)
    line = order.lines.get()

    (listed,) = api_client.get(ORDERS_URL, **customer.headers).json()["results"]

    assert listed["total"] == "20.00"
    assert listed["lines"] == [
        {
            "product_id": str(line.product_id),
            "sku": line.sku,
            "name": line.name,
            "unit_price": "10.00",
            "quantity": 2,
        }
    ]


@pytest.mark.parametrize("orders", [1, 15])
def test_the_list_costs_the_same_queries_whatever_the_page_holds(
    api_client, caller, django_assert_num_queries, orders
):
    for _ in range(orders):
        order_in(lines=3)
    support = caller(*SUPPORT_SCOPES)

    # the page of orders with their count, their lines
    with django_assert_num_queries(2):
        response = api_client.get(ORDERS_URL, **support.headers)

    assert len(response.json()["results"]) == orders


def test_a_token_without_a_read_scope_gets_403(api_client, caller):
    response = api_client.get(ORDERS_URL, **caller("orders.order.create").headers)

    assert response.status_code == 403


def test_no_token_gets_401(api_client):
    assert api_client.get(ORDERS_URL).status_code == 401


def test_the_detail_shows_the_history(api_client, customer):
    order = order_in(OrderStatus.PENDING, customer_id=customer.id)
    order.transition(OrderStatus.CANCELLED, reason="changed my mind", actor=customer.id)

    body = api_client.get(detail_url(order.id), **customer.headers).json()

    assert body["status"] == "CANCELLED"
    assert body["cancel_reason"] == "changed my mind"
    assert [
        (step["from_status"], step["to_status"], step["reason"]) for step in body["history"]
    ] == [
        ("", "PENDING", "test"),
        ("PENDING", "CANCELLED", "changed my mind"),
    ]


def test_support_reads_any_order(api_client, caller):
    order = order_in()

    response = api_client.get(detail_url(order.id), **caller(*SUPPORT_SCOPES).headers)

    assert response.status_code == 200
    assert response.json()["id"] == str(order.id)


def test_a_service_token_without_read_any_sees_no_order(api_client, token_minter):
    order = order_in()
    headers = token_minter.authorization(subject="service:payments", scopes=["orders.order.read"])

    listed = api_client.get(ORDERS_URL, **headers)
    detail = api_client.get(detail_url(order.id), **headers)

    assert listed.status_code == 200
    assert listed.json()["count"] == 0
    assert detail.status_code == 404
