"""Catalog writes need `catalog.product.write`; bad input is a named 400 or 409, nothing written."""

from decimal import Decimal

import pytest

from apps.catalog.models import Category, Product
from apps.inventory.models import Stock
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

PRODUCTS_URL = "/catalog/api/v1/products/"
CATEGORIES_URL = "/catalog/api/v1/categories/"


def new_product(**overrides) -> dict:
    return {
        "sku": "KEN-AA",
        "name": "Kenya AA",
        "price": "15.40",
        "category": "coffee",
        **overrides,
    }


def test_creating_a_product_needs_a_token_then_the_write_scope(
    api_client, coffee, customer_headers, manager
):
    anonymous = api_client.post(PRODUCTS_URL, new_product())
    as_customer = api_client.post(PRODUCTS_URL, new_product(), **customer_headers)
    as_manager = api_client.post(PRODUCTS_URL, new_product(initial_stock=7), **manager)

    assert (anonymous.status_code, as_customer.status_code) == (401, 403)
    assert anonymous["Content-Type"] == as_customer["Content-Type"] == "application/problem+json"
    assert as_customer.json()["type"] == "urn:mercato:problem:permission_denied"
    assert as_manager.status_code == 201
    created = Product.objects.get(sku="KEN-AA")
    assert as_manager.json()["id"] == str(created.id)
    assert (created.slug, created.price, created.currency) == ("kenya-aa", Decimal("15.40"), "EUR")
    assert Stock.objects.get(product=created).on_hand == 7


def test_reads_stay_public(api_client, coffee):
    ProductFactory(category=coffee)

    assert api_client.get(PRODUCTS_URL).status_code == 200
    assert api_client.get(CATEGORIES_URL).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "-1"}, "price"),
        ({"price": "abc"}, "price"),
        ({"currency": "euro"}, "currency"),
        ({"category": "no-such-category"}, "category"),
        ({"category": "00000000-0000-4000-8000-000000000000"}, "category"),
        ({"category": {"slug": "coffee"}}, "category"),
        ({"category": 7}, "category"),
        ({"sku": ""}, "sku"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    api_client, coffee, manager, overrides, field
):
    response = api_client.post(PRODUCTS_URL, new_product(**overrides), **manager)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param(lambda category: str(category.id), id="id"),
        pytest.param(lambda category: category.slug, id="slug"),
        pytest.param(lambda category: {"id": str(category.id)}, id="object as read"),
    ],
)
def test_the_category_is_given_by_id_slug_or_as_reads_show_it(
    api_client, coffee, manager, reference
):
    response = api_client.post(PRODUCTS_URL, new_product(category=reference(coffee)), **manager)

    assert response.status_code == 201, response.json()
    assert response.json()["category"]["id"] == str(coffee.id)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_product_read_and_written_back_unchanged_is_accepted_and_unchanged(
    api_client, coffee, manager, method
):
    url = f"{PRODUCTS_URL}{ProductFactory(category=coffee).id}/"
    read = api_client.get(url).json()

    written = getattr(api_client, method)(url, read, **manager)

    assert written.status_code == 200, written.json()
    assert written.json() == {**read, "updated_at": written.json()["updated_at"]}


def test_a_taken_sku_is_a_409_naming_it(api_client, coffee, manager):
    ProductFactory(sku="KEN-AA", category=coffee)

    response = api_client.post(PRODUCTS_URL, new_product(), **manager)

    assert response.status_code == 409
    assert list(response.json()["errors"]) == ["sku"]
    assert Product.objects.count() == 1


def test_a_product_without_a_slug_whose_name_is_taken_gets_the_next_free_slug(
    api_client, coffee, manager
):
    ProductFactory(slug="green-tea", category=coffee)
    ProductFactory(slug="green-tea-2", category=coffee)

    response = api_client.post(PRODUCTS_URL, new_product(sku="GT-3", name="Green Tea"), **manager)

    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "green-tea-3"


def test_a_numbered_slug_still_fits_the_column_when_the_name_is_as_long_as_allowed(
    api_client, coffee, manager
):
    name = "m" * 200
    ProductFactory(slug=name, category=coffee)

    response = api_client.post(PRODUCTS_URL, new_product(name=name), **manager)

    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "m" * 198 + "-2"


def test_a_taken_slug_given_explicitly_is_a_409_naming_it(api_client, coffee, manager):
    ProductFactory(slug="green-tea", category=coffee)

    response = api_client.post(PRODUCTS_URL, new_product(slug="green-tea"), **manager)

    assert response.status_code == 409
    assert list(response.json()["errors"]) == ["slug"]
    assert Product.objects.count() == 1


def test_a_manager_changes_a_price_and_archives_a_product(api_client, coffee, manager):
    product = ProductFactory(category=coffee, price=Decimal("10.00"))
    url = f"{PRODUCTS_URL}{product.id}/"

    changed = api_client.patch(url, {"price": "12.50"}, **manager)
    archived = api_client.delete(url, **manager)

    assert changed.json()["price"] == "12.50"
    assert archived.status_code == 204
    assert api_client.get(url).status_code == 404
    product.refresh_from_db()
    assert (product.price, product.is_active) == (Decimal("12.50"), False)


def test_a_customer_cannot_change_or_archive_a_product(api_client, coffee, customer_headers):
    product = ProductFactory(category=coffee)
    url = f"{PRODUCTS_URL}{product.id}/"

    assert api_client.patch(url, {"price": "0.01"}, **customer_headers).status_code == 403
    assert api_client.delete(url, **customer_headers).status_code == 403
    product.refresh_from_db()
    assert product.is_active


def test_categories_are_created_renamed_and_deleted_only_when_empty(api_client, manager):
    created = api_client.post(CATEGORIES_URL, {"name": "Tea Leaves"}, **manager)
    url = f"{CATEGORIES_URL}{created.json()['id']}/"
    ProductFactory(category=Category.objects.get(slug="tea-leaves"))

    renamed = api_client.patch(url, {"name": "Loose Tea"}, **manager)
    refused = api_client.delete(url, **manager)

    assert created.status_code == 201
    assert renamed.json()["name"] == "Loose Tea"
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:mercato:problem:category_not_empty"
    Product.objects.all().delete()
    assert api_client.delete(url, **manager).status_code == 204
    assert not Category.objects.exists()


def test_a_request_with_a_token_costs_the_same_queries_as_one_without(
    api_client, coffee, manager, django_assert_num_queries
):
    """The token is checked from its claims and the cached JWKS, never from a table."""
    ProductFactory(category=coffee)
    api_client.get(PRODUCTS_URL)  # warms the JWKS cache and the connection

    with django_assert_num_queries(2):  # the count and the page
        api_client.get(PRODUCTS_URL, **manager)


def test_put_replaces_the_whole_product_so_every_field_is_required(api_client, coffee, manager):
    product = ProductFactory(category=coffee)
    url = f"{PRODUCTS_URL}{product.id}/"

    partial = api_client.put(url, {"price": "3.00"}, **manager)
    whole = api_client.put(url, new_product(sku=product.sku, price="3.00"), **manager)

    assert partial.status_code == 400
    assert set(partial.json()["errors"]) == {"sku", "name", "category"}
    assert whole.status_code == 200
    assert whole.json()["price"] == "3.00"
