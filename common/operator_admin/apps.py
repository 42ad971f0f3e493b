"""Every service's admin app, installed in place of "django.contrib.admin" with our site."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "common.operator_admin.sites.OperatorAdminSite"

    def ready(self) -> None:
        super().ready()
        from django.contrib.auth.models import Group, User

        # An operator's roles and scopes come from identity, in the signed cookie: the local user
        # rows the operator middleware keeps and Django's groups grant nothing, so no admin
        # offers them. Identity's own users (its AUTH_USER_MODEL) and roles stay.
        for model in (Group, User):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
