"""The admin site of every service: titled with the service, with a bar linking all five admins."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest

from services import SERVICE_NAMES

PORTAL_PATH = "/"


@dataclass(frozen=True)
class ServiceLinks:
    """One service in the navigation bar, by the paths the gateway serves it under."""

    name: str
    current: bool

    @property
    def admin_path(self) -> str:
        return f"/{self.name}/admin/"

    @property
    def docs_path(self) -> str:
        return f"/{self.name}/api/docs/"


def service_links(current: str) -> list[ServiceLinks]:
    return [ServiceLinks(name=name, current=name == current) for name in SERVICE_NAMES]


class OperatorAdminSite(admin.AdminSite):
    """Links are gateway paths, so they work on every service's admin behind the one gateway."""

    site_url = PORTAL_PATH

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.site_header = f"Mercato · {settings.SERVICE_NAME}"
        self.site_title = f"Mercato · {settings.SERVICE_NAME}"
        self.index_title = f"{settings.SERVICE_NAME} administration"

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        return {
            **super().each_context(request),
            "mercato_services": service_links(settings.SERVICE_NAME),
            "mercato_portal_path": PORTAL_PATH,
        }
