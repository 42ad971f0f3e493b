"""The identity admin's dashboard: sign-ins and the failures and lockouts among them, the
accounts locked now, and the operators by role."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.accounts.scopes import USER_READ
from apps.accounts.selectors import (
    FAILED,
    LOCKED_OUT,
    SIGNED_IN,
    accounts_locked,
    operator_counts_by_role,
    sign_in_counts_by_hour,
)
from common.dashboards.charts import BarChart, ColumnChart, Panel, Table
from common.dashboards.periods import hour_columns, last_hours
from common.dashboards.registry import dashboards

HOURS = 24
SIGNED_IN_DAYS = 7
OUTCOMES = [(SIGNED_IN, "Signed in"), (FAILED, "Failed"), (LOCKED_OUT, "Locked out")]


@dashboards.panel(read_scope=USER_READ)
def sign_ins_per_hour() -> Panel:
    hours = last_hours(HOURS)
    return Panel(
        title="Sign-ins per hour",
        note="Signed in: sign-ins through identity's sign-in page (API token sign-ins are not "
        "recorded). Failed: every refused password, API and admin alike; locked out: the "
        "failure that locked its account.",
        chart=ColumnChart.of_counts(
            title=f"Sign-ins per hour over the last {HOURS} hours, by outcome",
            columns=hour_columns(hours),
            series=OUTCOMES,
            counts=sign_in_counts_by_hour(since=hours[0]),
        ),
    )


@dashboards.panel(read_scope=USER_READ)
def lockouts() -> Panel:
    now = timezone.now()
    cool_off = settings.AXES_COOLOFF_TIME
    locked = accounts_locked(now=now, failure_limit=settings.AXES_FAILURE_LIMIT, cool_off=cool_off)
    return Panel(
        title="Accounts locked now",
        note=f"An account is locked for {int(cool_off.total_seconds() // 60)} minutes after "
        f"{settings.AXES_FAILURE_LIMIT} failed sign-ins; deleting its access attempts unlocks "
        "it.",
        table=Table(
            headers=("Account", "Failed sign-ins", "Locked until"),
            rows=tuple(
                (account, failures, timezone.localtime(last_failure + cool_off))
                for account, failures, last_failure in locked
            ),
        ),
    )


@dashboards.panel(read_scope=USER_READ)
def operators_by_role() -> Panel:
    since = timezone.now() - timedelta(days=SIGNED_IN_DAYS)
    roles = operator_counts_by_role(signed_in_since=since)
    return Panel(
        title="Active operators",
        note=f"Active people holding each role that opens an admin, and how many of them signed "
        f"in through identity's sign-in page in the last {SIGNED_IN_DAYS} days.",
        chart=BarChart(
            title="Active operators by role",
            rows=tuple((role, operators) for role, operators, _ in roles),
        ),
        table=Table(
            headers=("Role", "Operators", f"Signed in, last {SIGNED_IN_DAYS} days"),
            rows=tuple(roles),
        ),
    )
