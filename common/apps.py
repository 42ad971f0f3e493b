"""The `common` Django app: wires structured logging, operator sign-in, and shared commands."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from common.auth.operators import OperatorLoginForm, remember_scopes
        from common.observability.logging import configure_structlog

        configure_structlog()
        admin.site.login_form = OperatorLoginForm
        user_logged_in.connect(remember_scopes, dispatch_uid="common.remember_scopes")
