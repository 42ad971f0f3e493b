"""Public product reads: listing, detail, and what a bad request gets back."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_product_is_a_404_problem_with_the_request_id(api_client):
    response = api_client.get(
        "/catalog/api/v1/products/00000000-0000-0000-0000-000000000000/",
        HTTP_X_REQUEST_ID="trace-me-1",
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["request_id"] == "trace-me-1"
