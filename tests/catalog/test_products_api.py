"""Public product reads: listing, filters, detail, and what a bad request gets back."""

import uuid
from decimal import Decimal

import pytest

from tests.catalog.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS_URL = "/catalog/api/v1/products/"


def detail_url(product_id) -> str:
    return f"{PRODUCTS_URL}{product_id}/"


@pytest.fixture
def shelf():
    """Two categories, four active products at distinct prices and one inactive product."""
    coffee = CategoryFactory(slug="coffee", name="Coffee")
    tea = CategoryFactory(slug="tea", name="Tea")
    return {
        "kenya": ProductFactory(name="Kenya AA", price=Decimal("15.40"), category=coffee),
        "espresso": ProductFactory(name="Espresso Blend", price=Decimal("11.20"), category=coffee),
        "earl_grey": ProductFactory(name="Earl Grey", price=Decimal("7.20"), category=tea),
        "sencha": ProductFactory(name="Sencha Green", price=Decimal("8.40"), category=tea),
        "retired": ProductFactory(
            name="Retired Roast", price=Decimal("9.99"), category=coffee, is_active=False
        ),
    }


def names(response) -> list[str]:
    return [product["name"] for product in response.json()["results"]]


def test_the_list_is_public_and_paginated(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"page_size": 3})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 4
    assert len(body["results"]) == 3
    assert body["next"].endswith("page=2&page_size=3")
    assert body["previous"] is None


def test_a_listed_product_shows_its_price_and_category(api_client, shelf):
    kenya = shelf["kenya"]

    listed = api_client.get(PRODUCTS_URL, {"search": "Kenya"}).json()["results"]

    assert listed == [
        {
            "id": str(kenya.id),
            "sku": kenya.sku,
            "name": "Kenya AA",
            "slug": kenya.slug,
            "description": "",
            "price": "15.40",
            "currency": "EUR",
            "category": {
                "id": str(kenya.category.id),
                "name": "Coffee",
                "slug": "coffee",
                "description": "",
            },
            "created_at": listed[0]["created_at"],
            "updated_at": listed[0]["updated_at"],
        }
    ]


def test_the_list_filters_by_category_slug(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"category": "tea"})

    assert response.status_code == 200
    assert sorted(names(response)) == ["Earl Grey", "Sencha Green"]


def test_the_list_filters_by_price_range(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"min_price": "8", "max_price": "12"})

    assert sorted(names(response)) == ["Espresso Blend", "Sencha Green"]


def test_an_unknown_category_slug_is_a_400_naming_category(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"category": "no-such-category"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:validation_error"
    assert "category" in response.json()["errors"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("min_price", "abc"), ("max_price", "cheap"), ("ordering", "bogus")],
)
def test_a_malformed_query_parameter_is_a_400_naming_it(api_client, shelf, parameter, value):
    response = api_client.get(PRODUCTS_URL, {parameter: value})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [parameter]


def test_search_matches_part_of_a_name_regardless_of_case(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"search": "GREY"})

    assert names(response) == ["Earl Grey"]


def test_search_matches_an_exact_sku(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"search": shelf["sencha"].sku.lower()})

    assert names(response) == ["Sencha Green"]


def test_the_list_orders_by_price_either_way(api_client, shelf):
    cheapest_first = api_client.get(PRODUCTS_URL, {"ordering": "price"})
    dearest_first = api_client.get(PRODUCTS_URL, {"ordering": "-price"})

    assert names(cheapest_first) == ["Earl Grey", "Sencha Green", "Espresso Blend", "Kenya AA"]
    assert names(dearest_first) == list(reversed(names(cheapest_first)))


def test_the_list_is_ordered_by_name_by_default(api_client, shelf):
    response = api_client.get(PRODUCTS_URL)

    assert names(response) == ["Earl Grey", "Espresso Blend", "Kenya AA", "Sencha Green"]


def test_an_empty_ordering_keeps_the_default_order(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"ordering": ","})

    assert names(response) == ["Earl Grey", "Espresso Blend", "Kenya AA", "Sencha Green"]


def test_pages_ordered_by_a_shared_price_neither_repeat_nor_skip_a_product(api_client):
    same_price = {str(ProductFactory(price=Decimal("5.00")).id) for _ in range(6)}

    pages = [
        api_client.get(PRODUCTS_URL, {"ordering": "price", "page_size": 2, "page": page})
        for page in (1, 2, 3)
    ]

    listed = [product["id"] for page in pages for product in page.json()["results"]]
    assert listed == sorted(same_price)


def test_an_inactive_product_is_hidden_from_the_list(api_client, shelf):
    response = api_client.get(PRODUCTS_URL, {"category": "coffee"})

    assert "Retired Roast" not in names(response)
    assert response.json()["count"] == 2


def test_an_inactive_product_has_no_detail(api_client, shelf):
    response = api_client.get(detail_url(shelf["retired"].id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_detail_shows_the_product_by_id(api_client, shelf):
    kenya = shelf["kenya"]

    response = api_client.get(detail_url(kenya.id))

    assert response.status_code == 200
    assert response.json()["id"] == str(kenya.id)
    assert response.json()["price"] == "15.40"
    assert response.json()["category"]["slug"] == "coffee"


def test_an_unknown_product_is_a_404_problem_with_the_request_id(api_client):
    response = api_client.get(detail_url(uuid.UUID(int=0)), HTTP_X_REQUEST_ID="trace-me-1")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["request_id"] == "trace-me-1"


def test_a_product_id_that_is_not_a_uuid_is_a_404_problem(api_client):
    response = api_client.get(detail_url("not-a-uuid"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:not_found"


def test_the_list_query_count_does_not_grow_with_page_size(
    api_client, django_assert_max_num_queries, django_assert_num_queries
):
    categories = CategoryFactory.create_batch(3)
    for index in range(60):
        ProductFactory(category=categories[index % 3])

    # One COUNT for the paginator, one SELECT joining each product's category.
    with django_assert_max_num_queries(2) as small_page:
        small = api_client.get(PRODUCTS_URL, {"page_size": 5})
    with django_assert_num_queries(len(small_page.captured_queries)):
        large = api_client.get(PRODUCTS_URL, {"page_size": 50})

    assert len(small.json()["results"]) == 5
    assert len(large.json()["results"]) == 50
    assert len({product["category"]["slug"] for product in large.json()["results"]}) == 3


def test_the_category_list_is_public(api_client, shelf):
    response = api_client.get("/catalog/api/v1/categories/")

    assert response.status_code == 200
    assert [category["slug"] for category in response.json()["results"]] == ["coffee", "tea"]


def test_the_schema_documents_the_product_endpoints(client):
    response = client.get("/catalog/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert {"/catalog/api/v1/products/", "/catalog/api/v1/products/{product_id}/"} <= set(paths)
