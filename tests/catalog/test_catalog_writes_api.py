"""Catalog writes need `catalog.product.write`; bad input is a named 400 or 409, nothing written."""

from decimal import Decimal

import pytest
from django.db import transaction

from apps.catalog.models import NOT_A_CURRENCY, Category, Product
from apps.catalog.services import product_create, product_update
from apps.inventory.models import MAXIMUM_STOCK, Stock
from common.errors import ApplicationError
from common.testing.races import start_late
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
        ({"price": "10000000000.00"}, "price"),
        ({"price": 1e308}, "price"),
        ({"price": "0.001"}, "price"),
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

    # Another page size, so that the list is not answered from the read cache: the page and its
    # count in one query, as without a token.
    with django_assert_num_queries(1):
        api_client.get(PRODUCTS_URL, {"page_size": 5}, **manager)


def test_put_replaces_the_whole_product_so_every_field_is_required(api_client, coffee, manager):
    product = ProductFactory(category=coffee)
    url = f"{PRODUCTS_URL}{product.id}/"

    partial = api_client.put(url, {"price": "3.00"}, **manager)
    whole = api_client.put(url, new_product(sku=product.sku, price="3.00"), **manager)

    assert partial.status_code == 400
    assert set(partial.json()["errors"]) == {"sku", "name", "category"}
    assert whole.status_code == 200
    assert whole.json()["price"] == "3.00"


def test_a_product_body_over_the_size_limit_is_a_413_and_writes_nothing(
    api_client, coffee, manager
):
    response = api_client.post(PRODUCTS_URL, new_product(description="x" * 3_000_000), **manager)

    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:request_too_large"
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("category", "field"),
    [
        pytest.param("cof\x00fee", "category", id="by slug"),
        pytest.param({"id": "\x00"}, "category.id", id="as reads show it"),
    ],
)
def test_a_nul_character_in_the_category_is_a_400_naming_it(
    api_client, coffee, manager, category, field
):
    response = api_client.post(PRODUCTS_URL, new_product(category=category), **manager)

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {field: ["Null characters are not allowed."]}
    assert not Product.objects.exists()


def test_a_category_that_cannot_be_a_slug_is_a_400_naming_it_without_a_lookup(
    api_client, coffee, manager, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = api_client.post(PRODUCTS_URL, new_product(category="cof fee!"), **manager)

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"category": ["No category has this id or slug."]}


@pytest.mark.parametrize("initial_stock", [10**12, 2**31, MAXIMUM_STOCK + 1])
def test_initial_stock_beyond_the_maximum_is_a_400_naming_it(
    api_client, coffee, manager, initial_stock
):
    response = api_client.post(PRODUCTS_URL, new_product(initial_stock=initial_stock), **manager)

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["initial_stock"]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "currency",
    [
        pytest.param("XYZ", id="not in ISO 4217"),
        pytest.param("JPY", id="no decimal places"),
        pytest.param("KWD", id="three decimal places"),
        pytest.param("XTS", id="reserved for testing"),
        pytest.param("eur", id="lower case"),
    ],
)
def test_a_currency_outside_iso_4217_with_two_decimals_is_a_400_naming_it(
    api_client, coffee, manager, currency
):
    response = api_client.post(PRODUCTS_URL, new_product(currency=currency), **manager)

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"currency": [NOT_A_CURRENCY]}
    assert not Product.objects.exists()


def test_an_iso_4217_currency_with_two_decimals_is_accepted(api_client, coffee, manager):
    response = api_client.post(PRODUCTS_URL, new_product(currency="CHF"), **manager)

    assert response.status_code == 201, response.content
    assert Product.objects.get().currency == "CHF"


@pytest.mark.parametrize("name", ["🍵🍵", "!!!", "煎茶"])
def test_products_whose_name_makes_no_slug_get_one_from_their_id(api_client, coffee, manager, name):
    first = api_client.post(PRODUCTS_URL, new_product(sku="TEA-1", name=name), **manager)
    second = api_client.post(PRODUCTS_URL, new_product(sku="TEA-2", name=name), **manager)

    for response in (first, second):
        assert response.status_code == 201, response.content
        created = response.json()
        assert (created["name"], created["slug"]) == (name, f"product-{created['id'][:8]}")


def test_a_category_whose_name_makes_no_slug_gets_one_from_its_id(api_client, manager):
    response = api_client.post(CATEGORIES_URL, {"name": "🍵"}, **manager)

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == f"category-{response.json()['id'][:8]}"


def test_a_category_without_a_slug_whose_name_is_taken_gets_the_next_free_slug(
    api_client, coffee, manager
):
    response = api_client.post(CATEGORIES_URL, {"name": "Coffee"}, **manager)

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "coffee-2"


@pytest.mark.parametrize(
    ("field", "value", "maximum"),
    [
        ("sku", "é" * 10_000, 64),
        ("name", "🍵" * 10_000, 200),
        ("slug", "s" * 10_000, 200),
    ],
)
def test_a_10000_character_string_is_a_400_naming_its_field_and_maximum(
    api_client, coffee, manager, field, value, maximum
):
    response = api_client.post(PRODUCTS_URL, new_product(**{field: value}), **manager)

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        field: [f"Ensure this field has no more than {maximum} characters."]
    }


def test_a_10000_character_unicode_description_is_stored_as_sent(api_client, coffee, manager):
    description = ("Sencha 🍵 煎茶, ünd Matcha — " * 400)[:10_000]

    response = api_client.post(PRODUCTS_URL, new_product(description=description), **manager)

    assert response.status_code == 201, response.content
    assert response.json()["description"] == description
    assert Product.objects.get().description == description


def create_green_tea(coffee, **fields) -> Product:
    return product_create(
        **{
            "sku": "GT-1",
            "name": "Green Tea",
            "price": Decimal("3.00"),
            "category": coffee,
            **fields,
        }
    )


@pytest.mark.django_db(transaction=True)
def test_two_products_of_one_name_created_at_once_get_two_slugs(coffee):
    """The race is staged: the late create has passed the slug check and waits on the insert."""
    late = {}

    with transaction.atomic():
        create_green_tea(coffee)
        waiting = start_late(lambda: late.update(slug=create_green_tea(coffee, sku="GT-2").slug))
    waiting.join()

    assert late == {"slug": "green-tea-2"}
    assert set(Product.objects.values_list("slug", flat=True)) == {"green-tea", "green-tea-2"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("fields", "field"),
    [({"sku": "GT-1"}, "sku"), ({"sku": "GT-2", "slug": "green-tea"}, "slug")],
)
def test_a_create_that_loses_the_race_for_its_sku_or_given_slug_is_a_409_naming_it(
    coffee, fields, field
):
    late = {}

    def create_late() -> None:
        try:
            create_green_tea(coffee, **fields)
        except ApplicationError as error:
            late.update(status=error.status, errors=list(error.errors or {}))

    with transaction.atomic():
        create_green_tea(coffee)
        waiting = start_late(create_late)
    waiting.join()

    assert late == {"status": 409, "errors": [field]}
    assert Product.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_update_that_loses_the_race_for_a_slug_is_a_409_naming_it(coffee):
    other = ProductFactory(category=coffee)
    late = {}

    def rename_late() -> None:
        try:
            product_update(product=other, slug="green-tea")
        except ApplicationError as error:
            late.update(status=error.status, errors=list(error.errors or {}))

    with transaction.atomic():
        create_green_tea(coffee)
        waiting = start_late(rename_late)
    waiting.join()

    assert late == {"status": 409, "errors": ["slug"]}
    other.refresh_from_db()
    assert other.slug != "green-tea"
