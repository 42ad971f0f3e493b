"""Walks a service's routes, for the tests that keep each one a probe or under its prefix, and
that keep a row of the ownership matrix for each API endpoint."""

from typing import TYPE_CHECKING

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.mixins import ListModelMixin

if TYPE_CHECKING:
    from rest_framework.views import APIView

# Served on each service's own port for the kubelet and Prometheus, never through the gateway;
# and the root: a page naming the service, or identity's portal, the gateway's root.
ROOT_ROUTES = frozenset({"", "healthz/live", "healthz/ready", "metrics"})
API_METHODS = ("get", "post", "put", "patch", "delete")


def route_patterns(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> list[tuple[str, URLPattern]]:
    """Every route the root urlconf (or `patterns`) can reach, as its full pattern string and the
    pattern that serves it."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes = []
    for pattern in patterns:
        # Regex patterns (the admin has some) carry anchors that are not part of the path.
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            routes.extend(route_patterns(pattern.url_patterns, route))
        else:
            routes.append((route, pattern))
    return routes


def route_strings(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> list[str]:
    """The full pattern string of every route the root urlconf (or `patterns`) can reach."""
    return [route for route, _ in route_patterns(patterns, prefix)]


def routes_outside_service(*, service: str) -> list[str]:
    """Routes of the current root urlconf that are neither a probe nor under `<service>/`."""
    return [
        route
        for route in route_strings()
        if route not in ROOT_ROUTES and not route.startswith(f"{service}/")
    ]


def api_views(*, service: str) -> dict[str, type["APIView"]]:
    """The view class of every route of the service's API (`<service>/api/v1/`), by route."""
    prefix = f"{service}/api/v1/"
    return {
        route: pattern.callback.view_class
        for route, pattern in route_patterns()
        if route.startswith(prefix) and hasattr(pattern.callback, "view_class")
    }


def view_methods(view_class: type["APIView"]) -> list[str]:
    return [method for method in API_METHODS if hasattr(view_class, method)]


def object_endpoints(*, service: str) -> set[tuple[str, str]]:
    """(route, method) of every API route that names a record in its path, for each method its
    view serves."""
    return {
        (route, method)
        for route, view_class in api_views(service=service).items()
        if "<" in route
        for method in view_methods(view_class)
    }


def list_endpoints(*, service: str) -> set[str]:
    """The API routes that list records: no record in the path, a view that lists on GET."""
    return {
        route
        for route, view_class in api_views(service=service).items()
        if "<" not in route and issubclass(view_class, ListModelMixin)
    }
