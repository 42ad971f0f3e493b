"""The route walker behind the per-service URL tests notices a route outside the prefix."""

import pytest
from django.http import HttpResponse
from django.urls import include, path, re_path

from common.testing.routes import route_strings, routes_outside_service


def view(request):
    return HttpResponse()


THINGS = [re_path(r"^things/(?P<pk>\d+)/$", view)]
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
        "stray/",
        "orders/legacy/$",
    ]


def test_routes_outside_service_names_every_route_not_under_the_prefix_nor_a_probe():
    assert routes_outside_service(service="catalog") == ["stray/", "orders/legacy/$"]
