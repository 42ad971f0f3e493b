"""The `schedules` app: the periodic tasks the code declares, seeded into django-celery-beat."""

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.db.models.signals import post_migrate


class SchedulesConfig(AppConfig):
    name = "common.schedules"
    label = "schedules"
    verbose_name = "Schedules"

    def ready(self) -> None:
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="schedules.seed")


def seed_after_migrate(*, apps: Apps = global_apps, **kwargs: Any) -> None:
    """A deployment's first migrate leaves the declared schedules in the admin before any beat
    has started; a migrate back to before these tables exist seeds nothing. A flush (which
    sends no `apps`) seeds them again."""
    from common.schedules.services import schedules_seed

    try:
        apps.get_model("django_celery_beat", "PeriodicTask")
        apps.get_model("schedules", "DeclaredSchedule")
    except LookupError:
        return
    schedules_seed(declared=settings.CELERY_BEAT_SCHEDULE)
