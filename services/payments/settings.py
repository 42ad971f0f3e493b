"""Settings of the payments service: the shared base plus the apps it owns."""

from common.settings import service_settings

globals().update(service_settings(service="payments", apps=["apps.payments"]))
