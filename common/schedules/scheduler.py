"""Beat's scheduler in every service: django-celery-beat's, seeded from what the code declares."""

from pathlib import Path
from typing import Any

import structlog
from django.db import DatabaseError
from django_celery_beat.schedulers import DatabaseScheduler

from common.schedules.services import schedules_seed

logger = structlog.get_logger(__name__)


class DeclaredDatabaseScheduler(DatabaseScheduler):  # type: ignore[misc]
    """Reads the periodic tasks from the service's database, where operators change them in the
    admin. django-celery-beat's own start would write CELERY_BEAT_SCHEDULE over every row it
    names, undoing an operator's interval at each restart; this one seeds them instead
    (common.schedules.services.schedules_seed).

    Nothing writes beat's schedule file any more, so each sync touches it instead: the chart's
    and compose's liveness checks read a stale file as a stuck beat."""

    def __init__(self, *args: Any, schedule_filename: str | None = None, **kwargs: Any) -> None:
        self.heartbeat = Path(schedule_filename) if schedule_filename else None
        super().__init__(*args, **kwargs)

    def setup_schedule(self) -> None:
        """The first tick reads the rows; a database that is down now only delays the seeding
        until beat next starts, as the rows seeded last time still hold."""
        try:
            schedules_seed(declared=self.app.conf.beat_schedule)
        except DatabaseError:
            logger.warning("schedules_not_seeded", exc_info=True)

    def sync(self) -> None:
        super().sync()
        if self.heartbeat is not None:
            self.heartbeat.touch()
