"""The notifications admin's dashboard: the webhook endpoints whose deliveries fail."""

from datetime import timedelta

from django.utils import timezone

from apps.notifications.scopes import NOTIFICATION_READ_ANY
from apps.notifications.selectors import webhook_failures_by_endpoint
from common.dashboards.charts import BarChart, Panel, Table
from common.dashboards.registry import dashboards

FAILURE_DAYS = 7
MOST_ENDPOINTS = 8


@dashboards.panel(read_scope=NOTIFICATION_READ_ANY)
def webhook_failures() -> Panel:
    since = timezone.now() - timedelta(days=FAILURE_DAYS)
    endpoints = webhook_failures_by_endpoint(since=since, limit=MOST_ENDPOINTS)
    return Panel(
        title="Webhook delivery failures by endpoint",
        note=f"Deliveries of the last {FAILURE_DAYS} days that used up their attempts (failed) "
        f"or failed and wait for another (retrying); the {MOST_ENDPOINTS} endpoints with the "
        "most.",
        chart=BarChart(
            title=f"Failed webhook deliveries in the last {FAILURE_DAYS} days by endpoint",
            rows=tuple((endpoint.url, endpoint.failed) for endpoint in endpoints),
        ),
        table=Table(
            headers=("Endpoint", "Active", "Failed", "Retrying"),
            rows=tuple(
                (
                    endpoint.url,
                    "yes" if endpoint.is_active else "no",
                    endpoint.failed,
                    endpoint.retrying,
                )
                for endpoint in endpoints
            ),
        ),
    )
