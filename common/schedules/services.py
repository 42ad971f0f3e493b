"""Seeding: the periodic tasks the code declares become rows an operator may then change."""

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from celery.schedules import schedule as interval_schedule
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from common.schedules.models import DeclaredSchedule


def schedules_seed(*, declared: Mapping[str, Mapping[str, Any]]) -> None:
    """Makes each entry of `declared` (CELERY_BEAT_SCHEDULE's shape) a periodic task, without
    undoing what an operator changed since (see `schedule_seed`), and retires the tasks the code
    declared before but no longer does."""
    for name, entry in declared.items():
        schedule_seed(name=name, task=entry["task"], every_seconds=seconds_of(entry["schedule"]))
    for retired in DeclaredSchedule.objects.exclude(name__in=list(declared)):
        schedule_retire(declared=retired)


@transaction.atomic
def schedule_seed(*, name: str, task: str, every_seconds: int) -> PeriodicTask:
    """Creates the periodic task `name` when it is missing. One that exists keeps its interval,
    task and `enabled`, unless the code declares something new for it and it is still what the
    code declared before (no operator changed it): then the new declaration replaces it."""
    periodic_task, created = PeriodicTask.objects.select_for_update().get_or_create(
        name=name, defaults={"task": task, "interval": interval_of(every_seconds)}
    )
    before = DeclaredSchedule.objects.select_for_update().filter(name=name).first()
    if (
        not created
        and before is not None
        and (before.task, before.every_seconds) != (task, every_seconds)
        and still_as_declared(periodic_task, before)
    ):
        periodic_task.task = task
        periodic_task.interval = interval_of(every_seconds)
        periodic_task.save(update_fields=["task", "interval"])
    DeclaredSchedule.objects.update_or_create(
        name=name, defaults={"task": task, "every_seconds": every_seconds}
    )
    return periodic_task


@transaction.atomic
def schedule_retire(*, declared: DeclaredSchedule) -> None:
    """Deletes a periodic task the code no longer declares, whose task no worker may know any
    more; one an operator changed is theirs now, and stays."""
    periodic_task = PeriodicTask.objects.select_for_update().filter(name=declared.name).first()
    if periodic_task is not None and still_as_declared(periodic_task, declared):
        periodic_task.delete()
    declared.delete()


def still_as_declared(periodic_task: PeriodicTask, declared: DeclaredSchedule) -> bool:
    interval = periodic_task.interval
    return (
        interval is not None
        and periodic_task.task == declared.task
        and interval.period == IntervalSchedule.SECONDS
        and interval.every == declared.every_seconds
    )


def interval_of(every_seconds: int) -> IntervalSchedule:
    """The interval of that many seconds; the admin may have left several alike, any will do."""
    interval = IntervalSchedule.objects.filter(
        every=every_seconds, period=IntervalSchedule.SECONDS
    ).first()
    return interval or IntervalSchedule.objects.create(
        every=every_seconds, period=IntervalSchedule.SECONDS
    )


def seconds_of(declared: object) -> int:
    """Whole seconds of a declared interval: a number of seconds, a timedelta or a Celery
    `schedule`. Every task the code declares runs at an interval; a crontab is the admin's."""
    if isinstance(declared, int | float):
        seconds = float(declared)
    elif isinstance(declared, timedelta):
        seconds = declared.total_seconds()
    elif type(declared) is interval_schedule:
        seconds = declared.seconds
    else:
        raise TypeError(f"A declared schedule is an interval in seconds, not {declared!r}.")
    return max(1, round(seconds))
