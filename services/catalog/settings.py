"""Settings of the catalog service: the shared base plus the apps it owns."""

from common.settings import service_settings

globals().update(service_settings(service="catalog", apps=["apps.catalog", "apps.inventory"]))
