"""URLs of the catalog service."""

from django.urls import include, path

from common.urls import NOT_FOUND_HANDLER, SERVER_ERROR_HANDLER, service_urlpatterns

urlpatterns = service_urlpatterns(
    service="catalog",
    api=[path("", include("apps.catalog.api.urls")), path("", include("apps.inventory.api.urls"))],
)
handler404 = NOT_FOUND_HANDLER
handler500 = SERVER_ERROR_HANDLER
