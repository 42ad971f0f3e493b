"""Every service's dashboard ends with its dead letters: events a handler gave up on."""

from django.conf import settings

from common.auth.scopes import event_read_scope
from common.dashboards.charts import BarChart, Panel
from common.dashboards.registry import dashboards
from common.events.selectors import dead_letter_counts_by_handler

# After the service's own panels.
LAST = 100


@dashboards.panel(read_scope=event_read_scope(settings.SERVICE_NAME), position=LAST)
def dead_letters() -> Panel:
    waiting = dead_letter_counts_by_handler()
    note = ""
    if waiting:
        note = (
            f"{sum(count for _, count in waiting)} events wait for a replay, by the handler that "
            "kept failing on them; replay them from Dead letters below once the fault is fixed."
        )
    return Panel(
        title="Dead letters",
        note=note,
        chart=BarChart(title="Dead letters waiting for a replay by handler", rows=tuple(waiting)),
    )
