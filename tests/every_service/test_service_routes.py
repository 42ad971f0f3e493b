"""Runs once per service's settings: every route is a probe or under the service's own prefix."""

from django.conf import settings

from common.testing.routes import ROOT_ROUTES, route_strings, routes_outside_service
from common.testing.servers import free_port
from services import SERVICE_NAMES


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


def test_the_root_is_a_page_of_links_not_a_list_of_routes(client, settings):
    service = settings.SERVICE_NAME
    if service == "identity":
        # Its root is the portal, which asks every service; here none answers.
        settings.PORTAL_SERVICE_URLS = {
            name: f"http://127.0.0.1:{free_port()}" for name in SERVICE_NAMES
        }
        settings.PORTAL_HEALTH_MAX_AGE_SECONDS = 0

    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200, page
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in response
    assert f'href="/{service}/admin/"' in page
    assert f'href="/{service}/api/docs/"' in page
    assert "URLconf" not in page
