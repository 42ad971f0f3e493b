"""The portal (identity's root, which the gateway maps `/` to) and every other service's root."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from common.portal.health import platform_health

JSON = "application/json"
# How often the portal's page asks for itself again (a meta refresh: the CSP allows no script).
REFRESH_SECONDS = 15


def platform_version() -> dict[str, str | None]:
    return {"version": settings.PLATFORM_VERSION, "revision": settings.PLATFORM_REVISION or None}


@require_safe
@never_cache
@vary_on_headers("Accept")
def portal(request: HttpRequest) -> HttpResponse:
    """The five services with their health, links to their admins and API docs, and the
    platform's version: a page for browsers, JSON for a client that prefers it."""
    services = [(service, pages_address(request, service.name)) for service in platform_health()]
    if request.get_preferred_type(["text/html", JSON]) == JSON:
        body: dict[str, Any] = {
            **platform_version(),
            "services": [
                {
                    "name": service.name,
                    "status": service.status,
                    "up": service.up,
                    "admin": f"{address}{service.admin}",
                    "docs": f"{address}{service.docs}",
                }
                for service, address in services
            ],
        }
        return JsonResponse(body)
    context = {"services": services, "refresh_seconds": REFRESH_SECONDS, **platform_version()}
    return render(request, "portal/portal.html", context)


def pages_address(request: HttpRequest, service: str) -> str:
    """Where a browser finds `service`'s pages: behind the gateway, which serves them all on
    this host, nothing (the links are relative). Where each service has its own port (`make run`
    without nginx, which sets IDENTITY_PUBLIC_URL), this host name at that service's port: the
    same host name keeps the operator's cookies."""
    if not settings.IDENTITY_PUBLIC_URL:
        return ""
    host = urlsplit(f"//{request.get_host()}").hostname or "localhost"
    if ":" in host:
        host = f"[{host}]"
    return f"{request.scheme}://{host}:{urlsplit(settings.PORTAL_SERVICE_URLS[service]).port}"


@require_safe
def service_home(request: HttpRequest) -> HttpResponse:
    """A service's root on its own port: which service answers, and where its pages are."""
    service = settings.SERVICE_NAME
    context = {
        "service": service,
        "admin": f"/{service}/admin/",
        "docs": f"/{service}/api/docs/",
        "schema": f"/{service}/api/schema/",
        **platform_version(),
    }
    return render(request, "portal/service.html", context)
