"""The orders service's routes: probes at the root, everything else under /orders/."""

from common.testing.routes import ROOT_ROUTES, route_strings, routes_outside_service

SCHEMA_URL = "/orders/api/schema/"


def test_every_route_is_a_probe_or_under_the_orders_prefix():
    assert set(route_strings()) >= ROOT_ROUTES
    assert routes_outside_service(service="orders") == []


def test_the_openapi_3_schema_is_served_under_the_orders_prefix(client):
    response = client.get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Mercato orders API"
    assert all(route.startswith("/orders/api/v1/") for route in schema["paths"])
