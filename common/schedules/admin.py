"""Operators read this service's periodic tasks with `<service>.schedule.read` and change them
(interval, enabled, run one now) with `<service>.schedule.manage`."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django_celery_beat import admin as celery_beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from common.auth.operators import ScopedPermissions, rescope
from common.schedules.scopes import schedule_manage_scope, schedule_read_scope

READ_SCOPE = schedule_read_scope(settings.SERVICE_NAME)
MANAGE_SCOPE = schedule_manage_scope(settings.SERVICE_NAME)

for schedule_model in (IntervalSchedule, CrontabSchedule, SolarSchedule, ClockedSchedule):
    rescope(schedule_model, read_scope=READ_SCOPE, write_scope=MANAGE_SCOPE)

admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(ScopedPermissions, celery_beat_admin.PeriodicTaskAdmin):  # type: ignore[misc]
    """The library's admin; its actions (enable, disable, toggle, run now) change tasks too, so
    they need the manage scope, which its own actions do not ask for."""

    read_scope = READ_SCOPE
    write_scope = MANAGE_SCOPE
    # The library's template adds an inline script, which the admin's CSP refuses; it only hid
    # the crontab's reading, which the form then shows as a field of its own.
    change_form_template = "admin/change_form.html"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        if not self.has_change_permission(request):
            return {}
        actions: dict[str, Any] = super().get_actions(request)
        return actions
