"""URLs of the orders service."""

from django.urls import include, path

from common.urls import NOT_FOUND_HANDLER, SERVER_ERROR_HANDLER, service_urlpatterns

urlpatterns = service_urlpatterns(service="orders", api=[path("", include("apps.orders.api.urls"))])
handler404 = NOT_FOUND_HANDLER
handler500 = SERVER_ERROR_HANDLER
