"""Settings of the identity service: the shared base plus the apps it owns."""

from common.settings import service_settings

globals().update(
    service_settings(service="identity", apps=["apps.accounts"], user_model="accounts.User")
)
