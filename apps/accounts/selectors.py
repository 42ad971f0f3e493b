"""Identity reads: users and roles as QuerySets."""

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum

from apps.accounts.models import Role, User
from apps.accounts.roles import ADMIN_ACCESS
from common.dashboards.periods import counted_by_hour

SIGNED_IN = "signed_in"
FAILED = "failed"
LOCKED_OUT = "locked_out"


def user_list() -> QuerySet[User]:
    return User.objects.prefetch_related("roles").order_by("email")


def role_list() -> QuerySet[Role]:
    return Role.objects.order_by("name")


def sign_in_counts_by_hour(*, since: datetime) -> dict[tuple[datetime, str], int]:
    """Sign-ins since `since` by hour (the current timezone's) and outcome: `SIGNED_IN` from
    django-axes' access log, `FAILED` and `LOCKED_OUT` (the failure that locked the account)
    from its failure log; two queries, grouped in SQL."""
    signed_in = counted_by_hour(
        AccessLog.objects.filter(attempt_time__gte=since), at="attempt_time"
    )
    refused = counted_by_hour(
        AccessFailureLog.objects.filter(attempt_time__gte=since),
        at="attempt_time",
        by=("locked_out",),
    )
    counts = {(hour, SIGNED_IN): count for hour, count in signed_in}
    counts.update(
        {(hour, LOCKED_OUT if locked_out else FAILED): count for hour, locked_out, count in refused}
    )
    return counts


def accounts_locked(
    *, now: datetime, failure_limit: int, cool_off: timedelta
) -> list[tuple[str, int, datetime]]:
    """Accounts locked now: (account, failures within the cool-off, last failure), the latest
    first; django-axes counts an account's failures over every address and browser."""
    return list(
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        .values_list("username")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=failure_limit)
        .order_by("-last_failure", "username")
    )


def operator_counts_by_role(*, signed_in_since: datetime) -> list[tuple[str, int, int]]:
    """Roles that open an admin: (role, its active people, those of them who signed in since
    `signed_in_since` as django-axes' access log has it); one query."""
    signed_in = AccessLog.objects.filter(
        username=OuterRef("users__email"), attempt_time__gte=signed_in_since
    )
    active = Q(users__is_active=True)
    return list(
        Role.objects.filter(permissions__overlap=sorted(ADMIN_ACCESS))
        .annotate(
            operators=Count("users", filter=active, distinct=True),
            signed_in=Count("users", filter=active & Q(Exists(signed_in)), distinct=True),
        )
        .values_list("name", "operators", "signed_in")
        .order_by("name")
    )
