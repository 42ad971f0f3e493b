"""The catalog service's routes: probes at the root, everything else under /catalog/."""

from common.testing.routes import ROOT_ROUTES, route_strings, routes_outside_service

SCHEMA_URL = "/catalog/api/schema/"


def test_every_route_is_a_probe_or_under_the_catalog_prefix():
    assert set(route_strings()) >= ROOT_ROUTES
    assert routes_outside_service(service="catalog") == []


def test_the_openapi_3_schema_is_served_under_the_catalog_prefix(client):
    response = client.get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Mercato catalog API"
    assert all(route.startswith("/catalog/api/v1/") for route in schema["paths"])
    assert "/catalog/api/v1/products/{product_id}/" in schema["paths"]
