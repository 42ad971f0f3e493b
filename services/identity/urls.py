"""URLs of the identity service."""

from django.urls import path

from apps.accounts import sign_in
from apps.accounts.api import views
from apps.accounts.api.urls import urlpatterns as api
from common.portal.views import portal
from common.urls import NOT_FOUND_HANDLER, SERVER_ERROR_HANDLER, service_urlpatterns

urlpatterns = service_urlpatterns(
    service="identity",
    api=api,
    extra=[
        path(".well-known/jwks.json", views.jwks_view, name="jwks"),
        # Under common.auth.operators.OPERATOR_PATH, the only path the refresh cookie is sent to.
        path("operator/sign-in/", sign_in.sign_in, name="operator-sign-in"),
        path("operator/renew/", sign_in.renew, name="operator-renew"),
        path("operator/sign-out/", sign_in.sign_out, name="operator-sign-out"),
    ],
    root=portal,
)
handler404 = NOT_FOUND_HANDLER
handler500 = SERVER_ERROR_HANDLER
