"""Runs once per service's settings: every route is a probe or under the service's own prefix."""

from django.conf import settings

from common.testing.routes import ROOT_ROUTES, route_strings, routes_outside_service


def test_every_route_is_a_probe_or_under_the_service_prefix():
    assert set(route_strings()) >= ROOT_ROUTES
    assert routes_outside_service(service=settings.SERVICE_NAME) == []


def test_the_openapi_3_schema_is_served_under_the_service_prefix(client):
    service = settings.SERVICE_NAME
    response = client.get(f"/{service}/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == f"Mercato {service} API"
    assert all(route.startswith(f"/{service}/api/v1/") for route in schema["paths"])
