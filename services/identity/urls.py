"""URLs of the identity service."""

from common.urls import NOT_FOUND_HANDLER, SERVER_ERROR_HANDLER, service_urlpatterns

urlpatterns = service_urlpatterns(service="identity", api=[])
handler404 = NOT_FOUND_HANDLER
handler500 = SERVER_ERROR_HANDLER
