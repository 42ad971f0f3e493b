"""Operators read periodic tasks with `<service>.schedule.read` and change them only with
`<service>.schedule.manage`."""

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

pytestmark = pytest.mark.django_db

TASKS_URL = "/catalog/admin/django_celery_beat/periodictask/"
READ = ("catalog.admin.access", "catalog.schedule.read")
MANAGE = ("catalog.admin.access", "catalog.schedule.manage")


@pytest.fixture
def sweep() -> PeriodicTask:
    return PeriodicTask.objects.select_related("interval").get(name="sweep-outbox")


def change_form(task: PeriodicTask, *, every: IntervalSchedule, enabled: bool) -> dict:
    form = {
        "name": task.name,
        "regtask": task.task,
        "task": task.task,
        "interval": every.id,
        "args": "[]",
        "kwargs": "{}",
        "headers": "{}",
        "priority": "",
        "_save": "Save",
    }
    return form | ({"enabled": "on"} if enabled else {})


def test_an_operator_with_the_read_scope_sees_the_declared_tasks_but_cannot_change_them(
    operator_client, sweep
):
    client = operator_client(*READ)
    slower = IntervalSchedule.objects.create(every=600, period=IntervalSchedule.SECONDS)

    listed = client.get(TASKS_URL)
    page = client.get(f"{TASKS_URL}{sweep.id}/change/")
    saved = client.post(
        f"{TASKS_URL}{sweep.id}/change/", change_form(sweep, every=slower, enabled=False)
    )
    disabled = client.post(
        TASKS_URL, {"action": "disable_tasks", "_selected_action": [str(sweep.id)]}
    )

    assert listed.status_code == page.status_code == 200
    assert b"prune-events" in listed.content
    assert b'name="_save"' not in page.content
    assert b"disable_tasks" not in listed.content
    assert saved.status_code == 403
    assert disabled.status_code == 200
    sweep.refresh_from_db()
    assert (sweep.interval.every, sweep.enabled) == (5, True)


def test_an_operator_without_a_schedule_scope_does_not_see_them(operator_client):
    client = operator_client("catalog.admin.access", "catalog.event.replay")

    assert client.get(TASKS_URL).status_code == 403
    assert client.get("/catalog/admin/django_celery_beat/intervalschedule/").status_code == 403


def test_an_operator_with_the_manage_scope_changes_the_interval_and_disables_a_task(
    operator_client, sweep
):
    client = operator_client(*MANAGE)
    slower = IntervalSchedule.objects.create(every=600, period=IntervalSchedule.SECONDS)

    saved = client.post(
        f"{TASKS_URL}{sweep.id}/change/", change_form(sweep, every=slower, enabled=False)
    )

    assert saved.status_code == 302, saved.content.decode()
    sweep.refresh_from_db()
    assert (sweep.interval.every, sweep.enabled) == (600, False)


def test_an_operator_with_the_manage_scope_disables_tasks_with_the_action(operator_client, sweep):
    client = operator_client(*MANAGE)

    client.post(TASKS_URL, {"action": "disable_tasks", "_selected_action": [str(sweep.id)]})

    sweep.refresh_from_db()
    assert sweep.enabled is False
