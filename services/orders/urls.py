"""URLs of the orders service."""

from common.urls import NOT_FOUND_HANDLER, SERVER_ERROR_HANDLER, service_urlpatterns

urlpatterns = service_urlpatterns(service="orders", api=[])
handler404 = NOT_FOUND_HANDLER
handler500 = SERVER_ERROR_HANDLER
