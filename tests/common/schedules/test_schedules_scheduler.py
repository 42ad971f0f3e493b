"""common.schedules.scheduler: beat seeds the declared schedules as it starts, then sends what the
database says, and touches its schedule file so the liveness checks see it alive."""

import os

import pytest
from celery import current_app
from django_celery_beat import schedulers
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from common.schedules.scheduler import DeclaredDatabaseScheduler

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def connection_kept(monkeypatch):
    """django-celery-beat closes the connection around a sync, which would end the test's own
    transaction; beat's process has no such transaction."""
    monkeypatch.setattr(schedulers, "close_old_connections", lambda: None)


def start_beat(settings, tmp_path) -> DeclaredDatabaseScheduler:
    current_app.conf.beat_schedule = settings.CELERY_BEAT_SCHEDULE
    return DeclaredDatabaseScheduler(
        app=current_app, schedule_filename=str(tmp_path / "celerybeat-catalog")
    )


def test_beat_starts_on_the_declared_schedules_and_keeps_an_operator_s_interval(settings, tmp_path):
    PeriodicTask.objects.all().delete()
    beat = start_beat(settings, tmp_path)
    assert set(beat.schedule) == set(settings.CELERY_BEAT_SCHEDULE)

    slower = IntervalSchedule.objects.create(every=600, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name="sweep-outbox").update(interval=slower)
    restarted = start_beat(settings, tmp_path)

    assert restarted.schedule["sweep-outbox"].schedule.seconds == 600


def test_a_disabled_task_is_not_sent(settings, tmp_path):
    PeriodicTask.objects.filter(name="sweep-outbox").update(enabled=False)

    beat = start_beat(settings, tmp_path)

    assert "sweep-outbox" not in beat.schedule
    assert "prune-events" in beat.schedule


def test_each_sync_touches_the_schedule_file_the_liveness_checks_read(settings, tmp_path):
    beat = start_beat(settings, tmp_path)
    heartbeat = tmp_path / "celerybeat-catalog"
    heartbeat.touch()
    os.utime(heartbeat, (0, 0))

    beat.sync()

    assert heartbeat.stat().st_mtime > 0
