"""The order list and an order's detail render without ModelSerializers: their answers stay the
ones OrderOutput and OrderDetailOutput give."""

import uuid
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from apps.orders.api.serializers import (
    OrderDetailOutput,
    OrderOutput,
    order_detail_output,
    order_list_output,
)
from apps.orders.models import Order, OrderLine, OrderStatus, OrderStatusChange
from apps.orders.selectors import ORDER_LIST_FIELDS, order_rows_with_lines
from common.api.renderers import JSONRenderer
from tests.orders.conftest import ORDERS_URL, order_in

pytestmark = pytest.mark.django_db


def orders_of_every_kind(customer_id) -> None:
    """Orders in every status, of one to three lines, with cancel reasons, odd amounts and names."""
    for number, status in enumerate(OrderStatus):
        order = order_in(status, customer_id=customer_id, lines=number % 3 + 1)
        if status == OrderStatus.CANCELLED:
            order.cancel_reason = "payment declined: card expired — «ça» \u2028 next line"
        order.total = Decimal("1234567.8") if number % 2 else Decimal("0.5")
        order.save()
    order = order_in(OrderStatus.CONFIRMED, customer_id=customer_id, lines=0)
    OrderLine.objects.bulk_create(
        OrderLine(order=order, product_id=uuid.uuid4(), sku=sku, name=name, **amounts)
        for sku, name, amounts in (
            ("BIG", "Product", {"unit_price": Decimal("9999999999.99"), "quantity": 1}),
            ("TEA", 'Tasse 🫖 "spéciale"', {"unit_price": Decimal("0.01"), "quantity": 1000}),
        )
    )


def instances(**lookup) -> list[Order]:
    """Orders as the serializer read them, their lines in the order they were placed: the order
    PostgreSQL returned them in when prefetched, as lines are only ever inserted, all at once."""
    lines = Prefetch("lines", queryset=OrderLine.objects.order_by("id"))
    return list(Order.objects.filter(**lookup).prefetch_related(lines))


def serializer_answer(orders) -> bytes:
    """The page OrderOutput wrote before the list read rows: instances, their lines prefetched."""
    return JSONRenderer().render(
        {
            "count": len(orders),
            "next": None,
            "previous": None,
            "results": OrderOutput(orders, many=True).data,
        }
    )


def test_the_list_answers_the_bytes_the_serializer_wrote(api_client, customer):
    orders_of_every_kind(customer.id)
    order_in(customer_id=uuid.uuid4())  # someone else's

    response = api_client.get(ORDERS_URL, **customer.headers)

    assert response.status_code == 200
    assert response.content == serializer_answer(instances(customer_id=customer.id))


def test_a_filtered_list_answers_the_bytes_the_serializer_wrote(api_client, customer):
    orders_of_every_kind(customer.id)

    response = api_client.get(ORDERS_URL, {"status": OrderStatus.REFUNDED}, **customer.headers)

    assert response.content == serializer_answer(instances(status=OrderStatus.REFUNDED))


@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns", "Asia/Kathmandu"])
def test_an_order_row_renders_as_the_serializer_renders_the_order_in_any_timezone(zone):
    orders_of_every_kind(uuid.uuid4())
    rows = order_rows_with_lines(orders=list(Order.objects.values(*ORDER_LIST_FIELDS)))

    with timezone.override(zone):
        assert [order_list_output(row) for row in rows] == OrderOutput(instances(), many=True).data


@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns", "Asia/Kathmandu"])
def test_an_order_renders_as_the_detail_serializer_renders_it_in_any_timezone(zone):
    orders_of_every_kind(uuid.uuid4())
    for order in Order.objects.all():
        OrderStatusChange.objects.bulk_create(
            [
                OrderStatusChange(order=order, to_status=OrderStatus.PENDING, actor="customer"),
                OrderStatusChange(
                    order=order,
                    from_status=OrderStatus.PENDING,
                    to_status=order.status,
                    reason="payment declined: «ça» \u2028",
                    actor="service:payments",
                ),
            ]
        )
    orders = Order.objects.prefetch_related("lines", "history")

    with timezone.override(zone):
        assert [order_detail_output(order) for order in orders] == [
            OrderDetailOutput(order).data for order in orders
        ]
