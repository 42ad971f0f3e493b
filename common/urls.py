"""The URL layout of every service: probes and metrics at the root, the rest under its prefix."""

from collections.abc import Callable, Sequence

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.auth.views import WhoAmIApi
from common.health import views as health
from common.observability.metrics import metrics_view
from common.portal.views import service_home

# The root urlconf of each service names these as its handler404 and handler500.
NOT_FOUND_HANDLER = "common.api.errors.not_found"
SERVER_ERROR_HANDLER = "common.api.errors.server_error"


def service_urlpatterns(
    *,
    service: str,
    api: Sequence[URLPattern | URLResolver],
    extra: Sequence[URLPattern | URLResolver] = (),
    root: Callable[[HttpRequest], HttpResponse] = service_home,
) -> list[URLPattern | URLResolver]:
    """Everything a client reaches through the gateway lives under `/<service>/`; `extra` holds a
    service's routes outside its API (identity's JWKS). `/` is a page naming the service, or
    `root` (identity's portal, which the gateway maps its own root to)."""
    return [
        path("", root, name="root"),
        path("healthz/live", health.live, name="healthz-live"),
        path("healthz/ready", health.ready, name="healthz-ready"),
        path("metrics", metrics_view, name="metrics"),
        path(
            f"{service}/",
            include(
                [
                    path("api/v1/", include(api)),
                    path("api/v1/whoami/", WhoAmIApi.as_view(), name="whoami"),
                    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
                    path(
                        "api/docs/",
                        SpectacularSwaggerView.as_view(url_name="schema"),
                        name="docs",
                    ),
                    path("admin/", admin.site.urls),
                    *extra,
                ]
            ),
        ),
    ]
