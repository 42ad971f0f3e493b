"""URLs of the notifications service."""

from django.urls import include, path

from common.urls import NOT_FOUND_HANDLER, SERVER_ERROR_HANDLER, service_urlpatterns

urlpatterns = service_urlpatterns(
    service="notifications", api=[path("", include("apps.notifications.api.urls"))]
)
handler404 = NOT_FOUND_HANDLER
handler500 = SERVER_ERROR_HANDLER
