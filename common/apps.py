"""The `common` Django app: wires structured logging and shared commands."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self) -> None:
        from celery.signals import task_prerun
        from django_structlog.signals import bind_extra_request_metadata

        from common.observability.logging import (
            bind_client_address,
            bind_task_context,
            configure_structlog,
        )

        configure_structlog()
        bind_extra_request_metadata.connect(
            bind_client_address, dispatch_uid="common.bind_client_address"
        )
        task_prerun.connect(bind_task_context, dispatch_uid="common.bind_task_context")
