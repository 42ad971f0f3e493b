"""common.schedules.services: the schedules the code declares are seeded into the database, and
an operator's change to one outlives every later seeding."""

from datetime import timedelta

import pytest
from celery.schedules import crontab, schedule
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from common.schedules.services import schedules_seed, seconds_of

pytestmark = pytest.mark.django_db
SWEEP = {"sweep": {"task": "tests.sweep", "schedule": 30}}


def every_of(name: str) -> int:
    return PeriodicTask.objects.select_related("interval").get(name=name).interval.every


def operator_sets_interval(name: str, every: int) -> None:
    interval = IntervalSchedule.objects.create(every=every, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name=name).update(interval=interval)


def test_a_new_schedule_is_created_as_declared():
    schedules_seed(declared=SWEEP)

    task = PeriodicTask.objects.get(name="sweep")
    assert (task.task, task.interval.every, task.interval.period, task.enabled) == (
        "tests.sweep",
        30,
        "seconds",
        True,
    )


def test_an_interval_an_operator_changed_survives_seeding_again_even_a_new_declaration():
    schedules_seed(declared=SWEEP)
    operator_sets_interval("sweep", 300)

    schedules_seed(declared=SWEEP)
    assert every_of("sweep") == 300

    schedules_seed(declared={"sweep": {"task": "tests.sweep", "schedule": 10}})
    assert every_of("sweep") == 300


def test_a_schedule_an_operator_disabled_stays_disabled():
    schedules_seed(declared=SWEEP)
    PeriodicTask.objects.filter(name="sweep").update(enabled=False)

    schedules_seed(declared=SWEEP)

    assert PeriodicTask.objects.get(name="sweep").enabled is False


def test_a_new_declaration_replaces_a_schedule_no_operator_changed():
    schedules_seed(declared=SWEEP)

    schedules_seed(declared={"sweep": {"task": "tests.sweep_renamed", "schedule": 10}})

    task = PeriodicTask.objects.get(name="sweep")
    assert (task.task, task.interval.every) == ("tests.sweep_renamed", 10)


def test_seeding_twice_makes_no_second_task_or_interval():
    schedules_seed(declared=SWEEP)
    intervals = IntervalSchedule.objects.count()

    schedules_seed(declared=SWEEP)

    assert PeriodicTask.objects.filter(name="sweep").count() == 1
    assert IntervalSchedule.objects.count() == intervals


@pytest.mark.parametrize(
    ("declared", "seconds"),
    [(5, 5), (2.4, 2), (0.2, 1), (timedelta(minutes=2), 120), (schedule(timedelta(hours=1)), 3600)],
)
def test_a_declared_interval_is_read_in_whole_seconds(declared, seconds):
    assert seconds_of(declared) == seconds


def test_a_declared_crontab_is_refused():
    with pytest.raises(TypeError, match="interval in seconds"):
        seconds_of(crontab(minute="0"))


def test_a_schedule_the_code_no_longer_declares_is_deleted_unless_an_operator_changed_it():
    schedules_seed(declared=SWEEP | {"prune": {"task": "tests.prune", "schedule": 60}})
    operator_sets_interval("prune", 120)

    schedules_seed(declared={})

    assert not PeriodicTask.objects.filter(name="sweep").exists()
    assert every_of("prune") == 120
    schedules_seed(declared={})
    assert every_of("prune") == 120
