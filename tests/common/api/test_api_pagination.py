"""Default pagination: numbered pages, capped page size, and a bad page is a 400 naming `page`."""

import pytest
from django.urls import path
from rest_framework.generics import ListAPIView

from common.auth.permissions import PUBLIC

ITEMS = list(range(150))


class NumbersApi(ListAPIView):
    required_scopes = {"get": PUBLIC}
    filter_backends = ()

    def get_queryset(self):
        return ITEMS

    def list(self, request, *args, **kwargs):
        return self.get_paginated_response(self.paginate_queryset(self.get_queryset()))


urlpatterns = [path("numbers/", NumbersApi.as_view())]

pytestmark = pytest.mark.urls(__name__)


def test_a_page_holds_the_default_page_size_with_count_and_links(api_client):
    body = api_client.get("/numbers/").json()

    assert body["count"] == 150
    assert body["results"] == ITEMS[:20]
    assert body["next"].endswith("/numbers/?page=2")
    assert body["previous"] is None


def test_the_last_page_holds_the_remainder(api_client):
    body = api_client.get("/numbers/", {"page": 8}).json()

    assert body["results"] == ITEMS[140:]
    assert body["next"] is None


def test_page_size_is_chosen_by_the_client(api_client):
    assert api_client.get("/numbers/", {"page_size": 7}).json()["results"] == ITEMS[:7]


def test_page_size_is_capped_at_100(api_client):
    assert api_client.get("/numbers/", {"page_size": 500}).json()["results"] == ITEMS[:100]


def test_a_page_size_past_any_integer_column_is_capped_too(api_client):
    assert api_client.get("/numbers/", {"page_size": "9" * 30}).json()["results"] == ITEMS[:100]


@pytest.mark.parametrize("page", ["9", "0", "abc", "9" * 30, "\x00"])
def test_a_page_that_does_not_exist_is_a_400_naming_page(api_client, page):
    response = api_client.get("/numbers/", {"page": page})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["page"]
