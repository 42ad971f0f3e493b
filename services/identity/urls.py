"""URLs of the identity service."""

from django.urls import path

from apps.accounts.api import views
from apps.accounts.api.urls import urlpatterns as api
from common.urls import NOT_FOUND_HANDLER, SERVER_ERROR_HANDLER, service_urlpatterns

urlpatterns = service_urlpatterns(
    service="identity",
    api=api,
    extra=[path(".well-known/jwks.json", views.jwks_view, name="jwks")],
)
handler404 = NOT_FOUND_HANDLER
handler500 = SERVER_ERROR_HANDLER
