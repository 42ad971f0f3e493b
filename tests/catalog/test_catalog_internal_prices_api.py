"""Internal prices: only the orders service reads them, for up to 100 products in one query."""

import uuid
from decimal import Decimal

import pytest

from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

PRICES_URL = "/catalog/api/v1/internal/prices/"


def ids_param(*ids) -> dict[str, str]:
    return {"ids": ",".join(str(product_id) for product_id in ids)}


def test_a_customer_is_refused_and_the_orders_service_gets_prices(
    api_client, customer_headers, orders_service
):
    kenya = ProductFactory(sku="KEN-AA", name="Kenya AA", price=Decimal("15.40"))

    anonymous = api_client.get(PRICES_URL, ids_param(kenya.id))
    as_customer = api_client.get(PRICES_URL, ids_param(kenya.id), **customer_headers)
    as_orders = api_client.get(PRICES_URL, ids_param(kenya.id), **orders_service)

    assert (anonymous.status_code, as_customer.status_code) == (401, 403)
    assert as_orders.status_code == 200
    assert as_orders.json() == {
        "results": [
            {
                "product_id": str(kenya.id),
                "sku": "KEN-AA",
                "name": "Kenya AA",
                "price": "15.40",
                "currency": "EUR",
                "is_active": True,
            }
        ]
    }


def test_unknown_ids_are_left_out_and_archived_products_are_marked(api_client, orders_service):
    archived = ProductFactory(is_active=False)

    response = api_client.get(PRICES_URL, ids_param(archived.id, uuid.uuid4()), **orders_service)

    assert [row["product_id"] for row in response.json()["results"]] == [str(archived.id)]
    assert response.json()["results"][0]["is_active"] is False


@pytest.mark.parametrize(
    "ids",
    ["not-a-uuid", f"{uuid.uuid4()},42", "", ",".join(str(uuid.uuid4()) for _ in range(101))],
)
def test_bad_ids_are_a_400_naming_ids(api_client, orders_service, ids):
    response = api_client.get(PRICES_URL, {"ids": ids}, **orders_service)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["ids"]


def test_missing_ids_are_a_400_naming_ids(api_client, orders_service):
    response = api_client.get(PRICES_URL, **orders_service)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ids"]


def test_the_query_count_does_not_grow_with_the_number_of_ids(
    api_client, orders_service, django_assert_num_queries
):
    products = ProductFactory.create_batch(100)

    with django_assert_num_queries(1):
        one = api_client.get(PRICES_URL, ids_param(products[0].id), **orders_service)
    with django_assert_num_queries(1):
        hundred = api_client.get(PRICES_URL, ids_param(*(p.id for p in products)), **orders_service)

    assert len(one.json()["results"]) == 1
    assert len(hundred.json()["results"]) == 100
