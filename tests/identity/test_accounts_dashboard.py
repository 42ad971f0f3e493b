"""identity's dashboard: sign-ins by hour and outcome, the accounts locked now and the operators
by role, counted in SQL from django-axes' tables and the users, shown on the admin index to
operators who read users, at a fixed number of queries."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.selectors import (
    FAILED,
    LOCKED_OUT,
    SIGNED_IN,
    accounts_locked,
    operator_counts_by_role,
    sign_in_counts_by_hour,
)
from common.dashboards.periods import last_hours
from common.testing.admin import admin_index, dashboard_with_more_rows
from tests.identity.conftest import DEMO_PASSWORD, TOKEN_URL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]

# Sign-ins two queries (access log, failure log), lockouts one, operators one.
PANEL_QUERIES = 4


def signed_in(username: str, *, hours_ago: int = 0) -> None:
    AccessLog.objects.create(username=username)
    AccessLog.objects.filter(username=username).update(
        attempt_time=timezone.now() - timedelta(hours=hours_ago)
    )


def test_sign_ins_are_counted_by_hour_and_outcome():
    signed_in("ada@mercato.test", hours_ago=1)
    signed_in("bob@mercato.test")
    AccessFailureLog.objects.create(username="eve@mercato.test")
    AccessFailureLog.objects.create(username="eve@mercato.test", locked_out=True)
    hours = last_hours(24)

    counts = sign_in_counts_by_hour(since=hours[0])

    assert counts == {
        (hours[-2], SIGNED_IN): 1,
        (hours[-1], SIGNED_IN): 1,
        (hours[-1], FAILED): 1,
        (hours[-1], LOCKED_OUT): 1,
    }


def test_failed_api_sign_ins_are_logged_and_the_one_that_locks_the_account_is_marked(
    api_client, settings, demo_users
):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        api_client.post(TOKEN_URL, {"email": "support@mercato.local", "password": "wrong"})

    logged = AccessFailureLog.objects.filter(username="support@mercato.local")

    assert list(logged.order_by("id").values_list("locked_out", flat=True)) == [False, True]


def test_an_account_is_locked_while_its_failures_within_the_cool_off_reach_the_limit():
    now = timezone.now()
    for user_agent in ("phone", "laptop"):
        AccessAttempt.objects.create(
            username="eve@mercato.test", user_agent=user_agent, failures_since_start=5
        )
    AccessAttempt.objects.create(username="bob@mercato.test", failures_since_start=9)
    AccessAttempt.objects.create(username="old@mercato.test", failures_since_start=10)
    AccessAttempt.objects.filter(username="old@mercato.test").update(
        attempt_time=now - timedelta(hours=1)
    )

    locked = accounts_locked(now=now, failure_limit=10, cool_off=timedelta(minutes=15))

    assert [(account, failures) for account, failures, _ in locked] == [("eve@mercato.test", 10)]


def test_operators_are_counted_by_role_with_those_who_signed_in_lately():
    support = Role.objects.get(name="support")
    for email, active in (("ada@x.test", True), ("bob@x.test", True), ("old@x.test", False)):
        User.objects.create_user(email, DEMO_PASSWORD, is_active=active).roles.add(support)
    customer = User.objects.create_user("cus@x.test", DEMO_PASSWORD)
    customer.roles.add(Role.objects.get(name="customer"))
    signed_in("ada@x.test")
    signed_in("bob@x.test", hours_ago=24 * 10)
    signed_in("old@x.test")

    roles = operator_counts_by_role(signed_in_since=timezone.now() - timedelta(days=7))

    assert ("support", 2, 1) in roles
    assert "customer" not in [role for role, _, _ in roles]


def test_the_index_shows_the_panels_at_the_same_number_of_queries_for_more_sign_ins(
    operator_client,
):
    def more_rows() -> None:
        for number in range(10):
            signed_in(f"person{number}@mercato.test")
            AccessFailureLog.objects.create(username=f"person{number}@mercato.test")
        AccessAttempt.objects.create(username="eve@mercato.test", failures_since_start=10)

    page = dashboard_with_more_rows(
        operator_client, "identity.user.read", more_rows=more_rows, panel_queries=PANEL_QUERIES
    )

    assert "Sign-ins per hour" in page
    assert "Active operators" in page
    assert "Failed: 10" in page
    assert "<td>eve@mercato.test</td><td>10</td>" in page


def test_the_panels_are_hidden_from_an_operator_who_cannot_read_users(operator_client):
    client = operator_client("identity.admin.access", "identity.role.read")

    _, page = admin_index(client)

    assert "Sign-ins per hour" not in page
    assert 'class="dashboard-panels"' not in page
