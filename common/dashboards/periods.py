"""The periods dashboards count over, in the current timezone (the operator's, once activated),
as SQL's `date_trunc` buckets them, so a bucket from the database finds its column."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone


def last_hours(count: int) -> list[datetime]:
    """The starts of the last `count` hours, the current one last."""
    this_hour = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    return [this_hour - timedelta(hours=back) for back in range(count - 1, -1, -1)]


def last_days(count: int) -> list[date]:
    """The last `count` days, today last."""
    today = timezone.localdate()
    return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]


def counted_by_hour(rows: QuerySet[Any], *, at: str, by: tuple[str, ...] = ()) -> QuerySet[Any]:
    """`rows` counted in SQL per hour of their `at` and per each field of `by`: tuples of the
    hour, the `by` values, then the count."""
    hourly = rows.annotate(hour=TruncHour(at)).values_list("hour", *by)
    counted: QuerySet[Any] = hourly.annotate(count=Count("id")).order_by()
    return counted


def hour_columns(hours: list[datetime]) -> list[tuple[datetime, str]]:
    return [(hour, f"{hour:%H}:00") for hour in hours]


def day_columns(days: list[date]) -> list[tuple[date, str]]:
    return [(day, f"{day:%d %b}") for day in days]


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
