"""Rows for the admin list-page tests: for each model a service's admin lists, a function that
adds `count` rows of it in a few queries. Each service's own are in `tests/<service>/admin_rows.py`
(`ROWS`, and `LARGE`: the tables that grow without end, listed at 10,000 rows); these are the models
every service's admin lists."""

import random
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from common.audit.models import AuditEntry
from common.events.models import DeadLetter, OutboxEvent

if TYPE_CHECKING:
    from common.operator_admin.people.models import Person

RowMaker = Callable[[int], object]


def user_ids(count: int) -> Iterator[uuid.UUID]:
    return (uuid.uuid4() for _ in range(count))


def people(count: int) -> list["Person"]:
    """`count` people the service's `people` read model knows, so the admin shows their e-mails."""
    # Only catalog, orders and payments install the read model; importing it elsewhere fails.
    from common.operator_admin.people.models import Person

    return Person.objects.bulk_create(
        Person(user_id=user_id, email=f"{user_id}@mercato.test", as_of=timezone.now())
        for user_id in user_ids(count)
    )


def outbox_events(count: int) -> None:
    OutboxEvent.objects.bulk_create(
        OutboxEvent(id=event_id, type="order.created", envelope={"data": {}})
        for event_id in user_ids(count)
    )


def dead_letters(count: int) -> None:
    DeadLetter.objects.bulk_create(
        DeadLetter(
            event_id=event_id,
            type="order.created",
            handler="order_created__reserve_stock",
            envelope={"data": {}},
            error="RuntimeError: boom",
            attempts=5,
        )
        for event_id in user_ids(count)
    )


def groups(count: int) -> None:
    Group.objects.bulk_create(Group(name=f"group-{uuid.uuid4()}") for _ in range(count))


def local_operators(count: int) -> None:
    """The password-less rows operators signed in through identity leave in a service."""
    user_model = get_user_model()
    user_model.objects.bulk_create(
        user_model(username=str(user_id), email=f"{user_id}@mercato.test", is_staff=True)
        for user_id in user_ids(count)
    )


def audit_entries(count: int) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_id=str(actor_id),
            action="orders.order.cancel",
            target_type="orders.order",
            target_id=str(uuid.uuid4()),
            before={"status": "AWAITING_PAYMENT"},
            after={"status": "CANCELLED"},
        )
        for actor_id in user_ids(count)
    )


def intervals(count: int) -> None:
    IntervalSchedule.objects.bulk_create(
        IntervalSchedule(every=every, period=IntervalSchedule.SECONDS) for every in range(count)
    )


def crontabs(count: int) -> None:
    CrontabSchedule.objects.bulk_create(
        CrontabSchedule(minute=str(minute % 60), hour=str(minute // 60 % 24))
        for minute in range(count)
    )


def solar_events(count: int) -> None:
    SolarSchedule.objects.bulk_create(
        # Unique by event and place: somewhere new each time.
        SolarSchedule(
            event="sunrise",
            latitude=round(random.uniform(-89, 89), 6),
            longitude=round(random.uniform(-179, 179), 6),
        )
        for _ in range(count)
    )


def clocked(count: int) -> None:
    ClockedSchedule.objects.bulk_create(
        ClockedSchedule(clocked_time=timezone.now()) for _ in range(count)
    )


def periodic_tasks(count: int) -> None:
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.bulk_create(
        PeriodicTask(name=f"task-{uuid.uuid4()}", task="common.events.sweep", interval=every_minute)
        for _ in range(count)
    )


# What every service's admin lists: its outbox, dead letters, audit log and schedules.
SHARED_ROWS: dict[type[Model], RowMaker] = {
    OutboxEvent: outbox_events,
    DeadLetter: dead_letters,
    AuditEntry: audit_entries,
    IntervalSchedule: intervals,
    CrontabSchedule: crontabs,
    SolarSchedule: solar_events,
    ClockedSchedule: clocked,
    PeriodicTask: periodic_tasks,
}


def local_operator_rows() -> dict[type[Model], RowMaker]:
    """Every service but identity, which keeps its own users, lists Django's users and groups."""
    return {get_user_model(): local_operators, Group: groups}
