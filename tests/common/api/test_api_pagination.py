"""Default pagination: numbered pages, capped page size, and a bad page is a 400 naming `page`."""

import pytest
from django.contrib.contenttypes.models import ContentType
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


class ContentTypesApi(ListAPIView):
    """A list read from the database: every model's content type, by id."""

    required_scopes = {"get": PUBLIC}
    filter_backends = ()

    def get_queryset(self):
        return ContentType.objects.order_by("id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([content_type.model for content_type in page])


urlpatterns.append(path("content-types/", ContentTypesApi.as_view()))


@pytest.mark.django_db
def test_a_page_of_a_queryset_and_its_count_are_read_in_one_query(
    api_client, django_assert_num_queries
):
    models = list(ContentType.objects.order_by("id").values_list("model", flat=True))

    with django_assert_num_queries(1):
        body = api_client.get("/content-types/", {"page_size": 3, "page": 2}).json()

    assert body["count"] == len(models)
    assert body["results"] == models[3:6]
    assert body["next"].endswith("page=3&page_size=3")


class ContentTypeRowsApi(ListAPIView):
    """The same list read as `.values()` rows."""

    required_scopes = {"get": PUBLIC}
    filter_backends = ()

    def get_queryset(self):
        return ContentType.objects.order_by("id").values("model")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([row["model"] for row in page])


urlpatterns.append(path("content-type-rows/", ContentTypeRowsApi.as_view()))


@pytest.mark.django_db
def test_a_page_of_values_rows_and_its_count_are_read_in_one_query(
    api_client, django_assert_num_queries
):
    models = list(ContentType.objects.order_by("id").values_list("model", flat=True))

    with django_assert_num_queries(1):
        body = api_client.get("/content-type-rows/", {"page_size": 3, "page": 2}).json()

    assert body["count"] == len(models)
    assert body["results"] == models[3:6]


@pytest.mark.django_db
def test_a_page_of_a_queryset_past_the_end_is_a_400_naming_page(api_client):
    response = api_client.get("/content-types/", {"page": 1000})

    assert response.status_code == 400
    assert "page" in response.json()["errors"]


@pytest.mark.django_db
def test_a_page_past_the_databases_largest_offset_is_a_400_naming_page(api_client):
    response = api_client.get("/content-types/", {"page": 2**62, "page_size": 100})

    assert response.status_code == 400
    assert "page" in response.json()["errors"]
