"""Runs once per service's settings: every status value the service stores or shows is UPPERCASE."""

from django.apps import apps
from django.conf import settings
from django.db import models


def status_choices_of_installed_apps() -> list[type[models.TextChoices]]:
    """Every `TextChoices` whose name ends in `Status`, module-level or nested in a model."""
    app_modules = tuple(f"{config.name}." for config in apps.get_app_configs())
    found, pending = [], list(models.TextChoices.__subclasses__())
    while pending:
        choices = pending.pop()
        pending.extend(choices.__subclasses__())
        if choices.__name__.endswith("Status") and choices.__module__.startswith(app_modules):
            found.append(choices)
    return found


def test_status_choices_of_every_installed_app_are_uppercase():
    lowercase = {
        f"{choices.__module__}.{choices.__qualname__}": choices.values
        for choices in status_choices_of_installed_apps()
        if any(value != value.upper() for value in choices.values)
    }
    assert lowercase == {}


def test_status_enums_in_the_openapi_schema_are_uppercase(client):
    response = client.get(
        f"/{settings.SERVICE_NAME}/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )

    lowercase = {
        name: component["enum"]
        for name, component in response.json()["components"]["schemas"].items()
        if "Status" in name and any(value != value.upper() for value in component.get("enum", []))
    }
    assert lowercase == {}
