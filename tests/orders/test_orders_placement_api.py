"""Placing an order: catalog's prices frozen on the lines, order.created, and every refusal."""

import uuid

import pytest

from apps.orders.models import IdempotencyKey, Order
from common.clients.catalog import catalog
from common.clients.identity import service_token
from common.testing.events import published, published_data
from common.testing.servers import free_port
from tests.orders.conftest import ORDERS_URL

pytestmark = pytest.mark.django_db


def order_of(*lines: tuple[uuid.UUID, int]) -> dict:
    """A placement body with one line per `(product_id, quantity)`, paid by a card that works."""
    return {
        "lines": [
            {"product_id": str(product_id), "quantity": quantity} for product_id, quantity in lines
        ],
        "payment_method": "pm_card_ok",
    }


@pytest.fixture
def place(api_client, customer):
    def post(body: dict, *, key: str | None = None, headers: dict | None = None):
        extra = {"HTTP_IDEMPOTENCY_KEY": key or uuid.uuid4().hex}
        return api_client.post(
            ORDERS_URL, body, format="json", **(headers or customer.headers), **extra
        )

    return post


@pytest.fixture
def two_products(catalog_stub):
    tea, cup = uuid.uuid4(), uuid.uuid4()
    catalog_stub.add(tea, price="7.20", sku="TEA-1", name="Earl Grey")
    catalog_stub.add(cup, price="12.50", sku="CUP-1", name="Cup")
    return tea, cup


def test_an_order_is_placed_at_catalog_prices_frozen_on_its_lines(
    place, customer, catalog_stub, two_products
):
    tea, cup = two_products
    response = place(order_of((tea, 3), (cup, 1)))
    catalog_stub.products[str(tea)]["price"] = "99.00"

    body = response.json()
    order = Order.objects.get(id=body["id"])
    assert response.status_code == 201
    assert body["status"] == "PENDING"
    assert body["customer_id"] == customer.id
    assert body["total"] == "34.10"
    assert body["currency"] == "EUR"
    assert body["payment_method"] == "pm_card_ok"
    assert body["cancel_reason"] == ""
    assert sorted(
        (line["sku"], line["name"], line["unit_price"], line["quantity"]) for line in body["lines"]
    ) == [
        ("CUP-1", "Cup", "12.50", 1),
        ("TEA-1", "Earl Grey", "7.20", 3),
    ]
    assert [
        (step["from_status"], step["to_status"], step["actor"]) for step in body["history"]
    ] == [("", "PENDING", customer.id)]
    assert str(order.total) == "34.10"


def test_placing_publishes_order_created_with_the_lines(place, customer, two_products):
    tea, cup = two_products

    response = place(order_of((tea, 3), (cup, 1)))

    assert published_data("order.created") == [
        {
            "order_id": response.json()["id"],
            "customer_id": customer.id,
            "lines": [
                {"product_id": str(tea), "quantity": 3},
                {"product_id": str(cup), "quantity": 1},
            ],
        }
    ]


def test_catalog_is_asked_once_with_the_service_token(place, catalog_stub, two_products):
    tea, cup = two_products

    place(order_of((tea, 1), (cup, 1)))

    (asked,) = catalog_stub.price_requests()
    assert asked.headers["authorization"] == f"Bearer {service_token()}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": [], "payment_method": "pm_card_ok"}, "lines"),
        ({"payment_method": "pm_card_ok"}, "lines"),
        (
            {"lines": [{"product_id": "not-a-uuid", "quantity": 1}], "payment_method": "x"},
            "lines.0.product_id",
        ),
        (
            {"lines": [{"product_id": str(uuid.uuid4()), "quantity": 0}], "payment_method": "x"},
            "lines.0.quantity",
        ),
        (
            {"lines": [{"product_id": str(uuid.uuid4()), "quantity": 1001}], "payment_method": "x"},
            "lines.0.quantity",
        ),
        ({"lines": [{"product_id": str(uuid.uuid4()), "quantity": 1}]}, "payment_method"),
        (
            {
                "lines": [{"product_id": str(uuid.uuid4()), "quantity": 10**12}],
                "payment_method": "x",
            },
            "lines.0.quantity",
        ),
        (
            {"lines": [{"product_id": str(uuid.uuid4()), "quantity": 1.5}], "payment_method": "x"},
            "lines.0.quantity",
        ),
        (
            {
                "lines": [{"product_id": str(uuid.uuid4()), "quantity": 1}],
                "payment_method": "é" * 10_000,
            },
            "payment_method",
        ),
        (
            {"lines": [{"product_id": "\x00", "quantity": 1}], "payment_method": "pm_card_ok"},
            "lines.0.product_id",
        ),
    ],
)
def test_malformed_input_is_a_400_naming_the_field(place, catalog_stub, body, field):
    response = place(body)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]
    assert catalog_stub.price_requests() == []


def test_json_nested_a_thousand_levels_deep_is_a_400_and_places_nothing(
    api_client, customer, catalog_stub
):
    body = '{"payment_method": "pm_card_ok", "lines": ' + "[" * 1000 + "]" * 1000 + "}"

    response = api_client.post(
        ORDERS_URL,
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        **customer.headers,
    )

    assert response.status_code == 400, response.content
    assert response.json()["type"] == "urn:mercato:problem:parse_error"
    assert not Order.objects.exists()
    assert catalog_stub.price_requests() == []


def test_the_same_product_on_two_lines_is_a_400_naming_lines(place, two_products):
    tea, _ = two_products
    line = {"product_id": str(tea), "quantity": 1}

    response = place({"lines": [line, line], "payment_method": "pm_card_ok"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["lines"]


def test_unknown_and_inactive_products_are_a_400_naming_them(place, catalog_stub, two_products):
    tea, _ = two_products
    retired, unknown = uuid.uuid4(), uuid.uuid4()
    catalog_stub.add(retired, is_active=False)

    response = place(order_of((tea, 1), (retired, 1), (unknown, 1)))

    (message,) = response.json()["errors"]["lines"]
    assert response.status_code == 400
    assert response.json()["type"] == "urn:mercato:problem:unknown_products"
    assert str(retired) in message
    assert str(unknown) in message
    assert str(tea) not in message
    assert Order.objects.count() == 0
    assert published() == []


def test_a_total_past_what_an_order_holds_is_a_400_naming_lines(place, catalog_stub):
    dearest = uuid.uuid4()
    catalog_stub.add(dearest, price="9999999999.99")

    response = place(order_of((dearest, 2)))

    assert response.status_code == 400, response.content
    assert response.json()["type"] == "urn:mercato:problem:total_too_large"
    assert list(response.json()["errors"]) == ["lines"]
    assert not Order.objects.exists()


def test_products_in_two_currencies_are_a_400(place, catalog_stub, two_products):
    tea, _ = two_products
    dollar_item = uuid.uuid4()
    catalog_stub.add(dollar_item, currency="USD")

    response = place(order_of((tea, 1), (dollar_item, 1)))

    assert response.status_code == 400
    assert response.json()["type"] == "urn:mercato:problem:mixed_currencies"
    assert Order.objects.count() == 0


def test_a_token_without_the_create_scope_gets_403(place, caller, two_products):
    tea, _ = two_products
    reader = caller("orders.order.read")

    response = place(
        {"lines": [{"product_id": str(tea), "quantity": 1}], "payment_method": "x"},
        headers=reader.headers,
    )

    assert response.status_code == 403


@pytest.mark.parametrize("key", [None, "", "x" * 256, "tab\tinside", "  "])
def test_a_missing_or_malformed_idempotency_key_is_a_400_naming_the_header(
    api_client, customer, two_products, key
):
    tea, _ = two_products
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}

    response = api_client.post(
        ORDERS_URL,
        order_of((tea, 1)),
        format="json",
        **customer.headers,
        **headers,
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]
    assert Order.objects.count() == 0


def test_catalog_down_is_a_503_that_stores_nothing(place, catalog_stub, two_products):
    tea, _ = two_products
    catalog_stub.fail(503, 503)

    response = place(order_of((tea, 1)))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert response.json()["type"] == "urn:mercato:problem:catalog_unavailable"
    assert len(catalog_stub.price_requests()) == 2  # the first answer and one retry
    assert Order.objects.count() == IdempotencyKey.objects.count() == 0
    assert published() == []


def test_an_unreachable_catalog_opens_the_breaker_and_then_fails_fast(
    place, catalog_stub, settings, two_products
):
    tea, _ = two_products
    service_token()  # fetched from the stand-in while it still answers
    settings.CATALOG_URL = f"http://127.0.0.1:{free_port()}"
    body = order_of((tea, 1))

    statuses = [place(body).status_code for _ in range(catalog.breaker.fail_max)]
    settings.CATALOG_URL = catalog_stub.stub.url()
    while_open = place(body)

    assert statuses == [503] * catalog.breaker.fail_max
    assert catalog.breaker.current_state == "open"
    assert while_open.status_code == 503
    assert catalog_stub.price_requests() == []  # refused without asking
