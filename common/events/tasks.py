"""The event tasks every service's worker runs: consume, retry a handler, sweep and prune."""

from typing import Any

from celery import Task, shared_task
from celery.exceptions import Retry
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from common.celery import sweep_reported
from common.errors import DATABASE_UNAVAILABLE_ERRORS
from common.events.envelope import Event
from common.events.inbox import RETRY_TASK, event_consume, event_handle
from common.events.outbox import CONSUME_TASK, outbox_sweep
from common.events.retention import events_prune


class EventTask(Task[Any, None]):
    """A delivery that found the service's database down is sent again, until the database is
    back (backoff capped at TASK_COUNTDOWN_MAXIMUM_SECONDS, no limit): acknowledged as failed, the
    event would be lost. It goes to the service's own queue, never through the relay, which
    would reach every subscriber."""

    max_retries = None

    def until_the_database_is_back(self, error: Exception) -> Retry:
        countdown = get_exponential_backoff_interval(
            factor=1,
            retries=self.request.retries,
            maximum=settings.TASK_COUNTDOWN_MAXIMUM_SECONDS,
            full_jitter=True,
        )
        return self.retry(exc=error, countdown=countdown, queue=settings.CELERY_TASK_DEFAULT_QUEUE)


@shared_task(name=CONSUME_TASK, base=EventTask, bind=True)
def consume_event(self: EventTask, envelope: dict[str, Any]) -> None:
    try:
        event_consume(envelope=envelope)
    except DATABASE_UNAVAILABLE_ERRORS as error:
        raise self.until_the_database_is_back(error) from None


@shared_task(name=RETRY_TASK, base=EventTask, bind=True)
def retry_event_handler(
    self: EventTask, envelope: dict[str, Any], handler_name: str, attempt: int
) -> None:
    try:
        event_handle(
            event=Event.from_envelope(envelope),
            envelope=envelope,
            handler_name=handler_name,
            attempt=attempt,
        )
    except DATABASE_UNAVAILABLE_ERRORS as error:
        raise self.until_the_database_is_back(error) from None


@shared_task(name="mercato.events.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return sweep_reported("outbox", outbox_sweep())


@shared_task(name="mercato.events.prune", ignore_result=True)
def prune_events() -> dict[str, int]:
    return sweep_reported("events_prune", events_prune())
