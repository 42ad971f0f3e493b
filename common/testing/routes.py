"""Walks a service's routes, for the tests that keep each one a probe or under its prefix."""

from django.urls import URLPattern, URLResolver, get_resolver

# Served on each service's own port for the kubelet and Prometheus, never through the gateway.
ROOT_ROUTES = frozenset({"healthz/live", "healthz/ready", "metrics"})


def route_strings(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> list[str]:
    """The full pattern string of every route the root urlconf (or `patterns`) can reach."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    routes = []
    for pattern in patterns:
        # Regex patterns (the admin has some) carry anchors that are not part of the path.
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            routes.extend(route_strings(pattern.url_patterns, route))
        else:
            routes.append(route)
    return routes


def routes_outside_service(*, service: str) -> list[str]:
    """Routes of the current root urlconf that are neither a probe nor under `<service>/`."""
    return [
        route
        for route in route_strings()
        if route not in ROOT_ROUTES and not route.startswith(f"{service}/")
    ]
