"""The event tasks every service's worker runs: consume, retry a handler, sweep and prune."""

from typing import Any

from celery import shared_task

from common.events.envelope import Event
from common.events.inbox import RETRY_TASK, event_consume, event_handle
from common.events.outbox import CONSUME_TASK, outbox_relay
from common.events.retention import events_prune


@shared_task(name=CONSUME_TASK)
def consume_event(envelope: dict[str, Any]) -> None:
    event_consume(envelope=envelope)


@shared_task(name=RETRY_TASK)
def retry_event_handler(envelope: dict[str, Any], handler_name: str, attempt: int) -> None:
    event_handle(
        event=Event.from_envelope(envelope),
        envelope=envelope,
        handler_name=handler_name,
        attempt=attempt,
    )


@shared_task(name="mercato.events.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return outbox_relay()


@shared_task(name="mercato.events.prune", ignore_result=True)
def prune_events() -> dict[str, int]:
    return events_prune()
