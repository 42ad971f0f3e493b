"""Runs once per service's settings: a fresh deployment's migrate leaves every periodic task the
service declares in its own database, where beat reads it and operators change it."""

import pytest
from django_celery_beat.models import PeriodicTask

from common.schedules.services import seconds_of

pytestmark = pytest.mark.django_db


def test_migrate_leaves_every_schedule_the_service_declares_in_its_database(settings):
    seeded = {
        task.name: (task.task, task.interval.every, task.interval.period, task.enabled)
        for task in PeriodicTask.objects.select_related("interval")
    }

    assert seeded == {
        name: (entry["task"], seconds_of(entry["schedule"]), "seconds", True)
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }
    assert settings.CELERY_BEAT_SCHEDULER == "common.schedules.scheduler.DeclaredDatabaseScheduler"
