"""The `common` Django app: wires structured logging and holds the shared management commands."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self) -> None:
        from common.observability.logging import configure_structlog

        configure_structlog()
