"""The portal shows each service's readiness as real HTTP servers answer it (or do not), links to
each admin and API docs, and the platform's version; every other service's root names it."""

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from common.portal.health import CACHE_KEY
from common.portal.views import portal
from common.testing.servers import HttpStub
from services import SERVICE_NAMES

READY = (200, {"status": "OK", "service": "any", "dependencies": {}})
NOT_READY = (503, {"status": "UNAVAILABLE", "service": "any", "dependencies": {}})
TIMEOUT_SECONDS = 0.3


@pytest.fixture
def services(settings) -> Iterator[dict[str, HttpStub]]:
    """A stand-in for every service, each answering its readiness probe as ready, and the portal
    asking them afresh on every view."""
    stubs = {name: HttpStub() for name in SERVICE_NAMES}
    for stub in stubs.values():
        stub.on("GET", "/healthz/ready", READY)
    settings.PORTAL_SERVICE_URLS = {name: stub.url() for name, stub in stubs.items()}
    settings.PORTAL_HEALTH_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    settings.PORTAL_HEALTH_MAX_AGE_SECONDS = 0
    yield stubs
    for stub in stubs.values():
        stub.stop()


def portal_json(**headers: str) -> dict:
    response = portal(RequestFactory().get("/", HTTP_ACCEPT="application/json", **headers))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def statuses(body: dict) -> dict[str, tuple[str, bool]]:
    return {service["name"]: (service["status"], service["up"]) for service in body["services"]}


def test_every_service_ready_is_shown_up_with_links_to_its_admin_and_docs(services):
    body = portal_json()

    assert statuses(body) == dict.fromkeys(SERVICE_NAMES, ("OK", True))
    assert [(s["admin"], s["docs"]) for s in body["services"]] == [
        (f"/{name}/admin/", f"/{name}/api/docs/") for name in SERVICE_NAMES
    ]
    assert all(stub.received("/healthz/ready") for stub in services.values())


def test_a_stopped_service_is_shown_down_and_the_others_up(services):
    services["payments"].stop()

    shown = statuses(portal_json())

    assert shown.pop("payments") == ("DOWN", False)
    assert shown == {name: ("OK", True) for name in SERVICE_NAMES if name != "payments"}


def test_a_service_silent_past_the_timeout_is_shown_down(services):
    services["catalog"].delay = TIMEOUT_SECONDS * 5

    shown = statuses(portal_json())

    assert shown.pop("catalog") == ("DOWN", False)
    assert shown == {name: ("OK", True) for name in SERVICE_NAMES if name != "catalog"}


def test_a_service_answering_not_ready_is_shown_down_and_a_degraded_one_up(services):
    services["orders"].on("GET", "/healthz/ready", NOT_READY)
    services["notifications"].on("GET", "/healthz/ready", (200, {"status": "DEGRADED"}))

    shown = statuses(portal_json())

    assert shown["orders"] == ("UNAVAILABLE", False)
    assert shown["notifications"] == ("DEGRADED", True)


def test_without_the_gateway_each_link_is_this_host_name_at_the_services_own_port(
    services, settings
):
    settings.IDENTITY_PUBLIC_URL = "http://localhost:8001"
    ports = {name: urlsplit(url).port for name, url in settings.PORTAL_SERVICE_URLS.items()}

    body = portal_json(HTTP_HOST="localhost:8001")
    page = portal(RequestFactory().get("/", HTTP_HOST="localhost:8001")).content.decode()

    for name, service in zip(SERVICE_NAMES, body["services"], strict=True):
        own_port = f"http://localhost:{ports[name]}"
        assert (service["admin"], service["docs"]) == (
            f"{own_port}/{name}/admin/",
            f"{own_port}/{name}/api/docs/",
        )
        assert f'href="{own_port}/{name}/admin/"' in page


def test_the_platform_version_and_the_images_revision_are_shown(services, settings):
    settings.PLATFORM_REVISION = "0123abc"

    body = portal_json()
    page = portal(RequestFactory().get("/", HTTP_ACCEPT="text/html")).content.decode()

    assert body["version"] == settings.PLATFORM_VERSION
    assert body["revision"] == "0123abc"
    assert f"version {settings.PLATFORM_VERSION}" in page
    assert "0123abc" in page


def test_a_browser_gets_a_page_with_no_inline_script_or_style(services):
    services["payments"].stop()
    request = RequestFactory().get("/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    response = portal(request)
    page = response.content.decode()

    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    for name in SERVICE_NAMES:
        assert f'href="/{name}/admin/"' in page
        assert f'href="/{name}/api/docs/"' in page
    assert page.count('class="status up"') == 4
    assert page.count('class="status down"') == 1
    assert "<script" not in page
    assert "style=" not in page
    assert "<style" not in page
    assert 'rel="stylesheet" href="/' in page


def test_what_was_asked_is_kept_for_its_maximum_age(services, settings):
    settings.PORTAL_HEALTH_MAX_AGE_SECONDS = 60
    cache.delete(CACHE_KEY)

    first = portal_json()
    services["identity"].stop()
    second = portal_json()
    cache.delete(CACHE_KEY)

    assert first == second
    assert len(services["catalog"].received("/healthz/ready")) == 1
