"""Settings of the orders service: the shared base plus the apps it owns."""

from common.settings import service_settings

globals().update(service_settings(service="orders", apps=["apps.orders"]))
