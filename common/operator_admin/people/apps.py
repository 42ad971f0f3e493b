"""The `people` app: the services that show customers but keep no users of their own install it."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "common.operator_admin.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"
