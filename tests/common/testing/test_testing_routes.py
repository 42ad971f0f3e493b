"""The route walker behind the per-service URL tests notices a route outside the prefix, and finds
the API routes that name a record or list them, for the ownership matrix."""

import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.urls import include, path, re_path
from rest_framework import generics
from rest_framework.response import Response

from common.api.views import ServiceApi
from common.testing.routes import (
    list_endpoints,
    object_endpoints,
    route_strings,
    routes_outside_service,
)


def view(request):
    return HttpResponse()


class GroupListApi(generics.ListAPIView):
    queryset = Group.objects.all()


class GroupDetailApi(ServiceApi):
    def get(self, request, group_id):
        return Response()

    def patch(self, request, group_id):
        return Response()


class GroupExportApi(ServiceApi):
    def post(self, request):
        return Response()


THINGS = [
    re_path(r"^things/(?P<pk>\d+)/$", view),
    path("groups/", GroupListApi.as_view()),
    path("groups/<int:group_id>/", GroupDetailApi.as_view()),
    path("groups/exports/", GroupExportApi.as_view()),
]
urlpatterns = [
    path("healthz/live", view),
    path("metrics", view),
    path("catalog/", include([path("api/v1/", include(THINGS))])),
    path("stray/", view),
    re_path(r"^orders/legacy/$", view),
]

pytestmark = pytest.mark.urls(__name__)


def test_route_strings_joins_nested_and_regex_patterns_into_full_routes():
    assert route_strings() == [
        "healthz/live",
        "metrics",
        r"catalog/api/v1/things/(?P<pk>\d+)/$",
        "catalog/api/v1/groups/",
        "catalog/api/v1/groups/<int:group_id>/",
        "catalog/api/v1/groups/exports/",
        "stray/",
        "orders/legacy/$",
    ]


def test_routes_outside_service_names_every_route_not_under_the_prefix_nor_a_probe():
    assert routes_outside_service(service="catalog") == ["stray/", "orders/legacy/$"]


def test_object_endpoints_are_each_method_of_each_api_view_naming_a_record():
    assert object_endpoints(service="catalog") == {
        ("catalog/api/v1/groups/<int:group_id>/", "get"),
        ("catalog/api/v1/groups/<int:group_id>/", "patch"),
    }


def test_list_endpoints_are_the_api_views_that_list_with_no_record_in_the_path():
    assert list_endpoints(service="catalog") == {"catalog/api/v1/groups/"}


def test_another_services_api_has_no_endpoints_here():
    assert object_endpoints(service="orders") == set()
    assert list_endpoints(service="orders") == set()
