"""Stock over REST: anyone reads a product's stock; `catalog.stock.write` adjusts it."""

import uuid

import pytest

from apps.inventory.models import StockAdjustment
from apps.inventory.services import stock_reserve
from tests.catalog.conftest import stock_of
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db


def stock_url(product_id) -> str:
    return f"/catalog/api/v1/stock/{product_id}/"


def adjust_url(product_id) -> str:
    return f"{stock_url(product_id)}adjust/"


def stock_json(product, *, on_hand: int, reserved: int, available: int) -> dict:
    """`product`'s stock as the API shows it."""
    return {
        "product_id": str(product.id),
        "on_hand": on_hand,
        "reserved": reserved,
        "available": available,
    }


@pytest.fixture
def tea(stocked):
    """10 on hand, 3 of them held for an order."""
    product = stocked(10)
    stock_reserve(order_id=uuid.uuid4(), lines=[{"product_id": str(product.id), "quantity": 3}])
    return product


def test_anyone_reads_on_hand_reserved_and_available(api_client, tea, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_client.get(stock_url(tea.id))

    assert response.status_code == 200
    assert response.json() == stock_json(tea, on_hand=10, reserved=3, available=7)


def test_a_product_without_a_stock_row_reads_as_empty(api_client):
    product = ProductFactory()

    response = api_client.get(stock_url(product.id))

    assert response.json() == stock_json(product, on_hand=0, reserved=0, available=0)


@pytest.mark.parametrize("which", ["unknown", "archived"])
def test_the_stock_of_an_unknown_or_archived_product_is_a_404_problem(api_client, stocked, which):
    product_id = uuid.uuid4() if which == "unknown" else stocked(4, is_active=False).id

    response = api_client.get(stock_url(product_id))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_adjusting_needs_a_token_then_the_stock_write_scope(
    api_client, tea, customer_headers, manager
):
    body = {"delta": 5, "reason": "delivery"}

    anonymous = api_client.post(adjust_url(tea.id), body)
    as_customer = api_client.post(adjust_url(tea.id), body, **customer_headers)
    as_manager = api_client.post(adjust_url(tea.id), body, **manager)

    assert (anonymous.status_code, as_customer.status_code) == (401, 403)
    assert as_manager.status_code == 200
    assert as_manager.json() == stock_json(tea, on_hand=15, reserved=3, available=12)
    assert StockAdjustment.objects.get().reason == "delivery"


def test_taking_away_more_than_is_available_is_a_409_naming_delta(api_client, tea, manager):
    response = api_client.post(adjust_url(tea.id), {"delta": -8, "reason": "stocktake"}, **manager)

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mercato:problem:stock_conflict"
    assert list(response.json()["errors"]) == ["delta"]
    assert stock_of(tea) == (10, 3)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"delta": 0, "reason": "nothing"}, "delta"),
        ({"delta": "many", "reason": "typo"}, "delta"),
        ({"delta": 10_000_000, "reason": "typo"}, "delta"),
        ({"delta": 1}, "reason"),
        ({"delta": 1, "reason": ""}, "reason"),
        ({"delta": 1, "reason": "é" * 10_000}, "reason"),
        ({"delta": 1, "reason": "stock\x00take"}, "reason"),
        ({"delta": 10**12, "reason": "typo"}, "delta"),
        ({"delta": 1.5, "reason": "typo"}, "delta"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_client, tea, manager, body, field):
    response = api_client.post(adjust_url(tea.id), body, **manager)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert stock_of(tea) == (10, 3)


def test_adjusting_an_unknown_product_is_a_404(api_client, manager):
    response = api_client.post(adjust_url(uuid.uuid4()), {"delta": 1, "reason": "x"}, **manager)

    assert response.status_code == 404


def test_an_archived_product_can_still_be_adjusted(api_client, stocked, manager):
    archived = stocked(4, is_active=False)

    response = api_client.post(adjust_url(archived.id), {"delta": -4, "reason": "x"}, **manager)

    assert response.json()["on_hand"] == 0


def test_the_schema_documents_stock_imports_and_internal_prices(client):
    response = client.get("/catalog/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert {
        "/catalog/api/v1/stock/{product_id}/",
        "/catalog/api/v1/stock/{product_id}/adjust/",
        "/catalog/api/v1/internal/prices/",
        "/catalog/api/v1/imports/",
        "/catalog/api/v1/imports/{import_id}/",
    } <= set(paths)
    assert (
        "multipart/form-data" in paths["/catalog/api/v1/imports/"]["post"]["requestBody"]["content"]
    )
