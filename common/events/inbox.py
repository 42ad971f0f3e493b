"""Consuming: the handlers a service registers, each applied at most once per event.

A handler runs in one transaction with its inbox row, so a redelivered event finds the row
and changes nothing. A failing handler is retried with exponential backoff and full jitter on
the service's own queue (never through the relay, which would reach every subscriber), then
lands in the dead-letter table.

Each handler declares a key that names it in the inbox and the dead letters, so renaming or
moving its function changes nothing stored. One rule for keys: `<trigger>__<effect>`, where the
trigger is the event type with `_` for `.` (`order_created`), or `<entity>_events` for a handler
of several types (`order_events`), and the effect says what it does (`reserve_stock`). A key,
once events were handled under it, never changes.
"""

import re
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from common.celery import enqueue
from common.errors import DATABASE_UNAVAILABLE_ERRORS, ApplicationError
from common.events.envelope import Event, handling
from common.events.models import DeadLetter, InboxEntry
from common.events.types import InvalidEvent
from common.observability.metrics import (
    DEAD_LETTERS,
    EVENTS_DUPLICATES,
    EVENTS_HANDLED,
    count_on_commit,
)
from common.observability.tracing import event_span

RETRY_TASK = "mercato.events.retry"
INVALID_EVENT = "invalid_event"
RETRY_NOT_QUEUED = "The broker refused the retry; the last error was"
REPLAY_FAILED = "The handler failed again; the dead letter keeps the new error."

SNAKE_CASE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
HANDLER_KEY_FORMAT = re.compile(rf"{SNAKE_CASE}__{SNAKE_CASE}")
BAD_HANDLER_KEY = "Handler key {key!r} of {function} is not <trigger>__<effect> in snake_case."
DUPLICATE_HANDLER_KEY = "Handler key {key!r} is declared by both {first} and {second}."

Handler = Callable[[Event], None]
# handler key -> (the event types it handles, the function)
HANDLERS: dict[str, tuple[frozenset[str], Handler]] = {}

logger = structlog.get_logger(__name__)


def handler(*event_types: str, key: str) -> Callable[[Handler], Handler]:
    """Registers the decorated function for `event_types` in the service whose app defines it;
    `key` names it in the inbox (event ids are unique across types) and the dead letters."""

    def register(function: Handler) -> Handler:
        if not HANDLER_KEY_FORMAT.fullmatch(key):
            raise ImproperlyConfigured(BAD_HANDLER_KEY.format(key=key, function=path_of(function)))
        if key in HANDLERS:
            _, registered = HANDLERS[key]
            raise ImproperlyConfigured(
                DUPLICATE_HANDLER_KEY.format(
                    key=key, first=path_of(registered), second=path_of(function)
                )
            )
        HANDLERS[key] = (frozenset(event_types), function)
        return function

    return register


def path_of(function: Handler) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def handler_key(name: str) -> str:
    """`name` if it is a key, else the key of the handler whose Python path it is: during a rolling
    upgrade to keys, workers of the previous release still queue retries and record dead letters
    under paths after the migration renamed the stored ones."""
    if name in HANDLERS:
        return name
    keys_of_paths = {path_of(function): key for key, (_, function) in HANDLERS.items()}
    return keys_of_paths.get(name, name)


def handlers_for(event_type: str) -> list[str]:
    return [key for key, (handled_types, _) in HANDLERS.items() if event_type in handled_types]


def event_consume(*, envelope: dict[str, Any]) -> None:
    """Applies a delivered event with every handler of this service subscribed to its type."""
    try:
        event = Event.from_envelope(envelope)
    except InvalidEvent as error:
        # Retrying cannot make a malformed event valid: straight to the operators.
        dead_letter_record(envelope=envelope, handler=INVALID_EVENT, error=str(error), attempts=1)
        return
    for key in handlers_for(event.type):
        event_handle(event=event, envelope=envelope, handler_name=key, attempt=1)


def event_handle(
    *, event: Event, envelope: dict[str, Any], handler_name: str, attempt: int
) -> None:
    """One attempt of one handler; schedules the next or records a dead letter on failure."""
    handler_name = handler_key(handler_name)
    try:
        handler_apply(event=event, handler_name=handler_name)
    except DATABASE_UNAVAILABLE_ERRORS:
        # Not the handler's failure: nothing can be recorded, not even a dead letter. The task
        # retries the delivery until the database is back, spending none of the handler's attempts.
        raise
    except Exception as error:
        logger.warning("event_handler_failed", handler=handler_name, attempt=attempt, exc_info=True)
        if attempt >= settings.EVENT_HANDLER_MAX_ATTEMPTS:
            dead_letter_record(
                envelope=envelope, handler=handler_name, error=repr(error), attempts=attempt
            )
            return
        retry_queued = enqueue(
            RETRY_TASK,
            envelope,
            handler_name,
            attempt + 1,
            countdown=get_exponential_backoff_interval(
                factor=settings.EVENT_RETRY_BACKOFF_SECONDS,
                retries=attempt - 1,
                maximum=settings.TASK_COUNTDOWN_MAXIMUM_SECONDS,
                full_jitter=True,
            ),
        )
        if not retry_queued:
            # The delivery is acknowledged either way; the dead letter keeps the event replayable.
            dead_letter_record(
                envelope=envelope,
                handler=handler_name,
                error=f"{RETRY_NOT_QUEUED} {error!r}",
                attempts=attempt,
            )


def handler_apply(*, event: Event, handler_name: str) -> bool:
    """Runs the handler with its inbox row in one transaction; False if it had already run. Its
    span continues the trace of the span that published the event."""
    _, function = HANDLERS[handler_name]
    span = event_span(
        event_type=event.type,
        event_id=str(event.id),
        source=event.source,
        handler=handler_name,
        trace_context=event.trace_context,
    )
    with span, handling(event), transaction.atomic():
        first_time = inbox_entry_created(event_id=event.id, handler_name=handler_name)
        if first_time:
            function(event)
            # With event_already_handled, tells from the logs which copies are still to come.
            logger.info("event_handled", handler=handler_name)
            count_on_commit(EVENTS_HANDLED.labels(event_type=event.type).inc)
        else:
            logger.info("event_already_handled", handler=handler_name)
            EVENTS_DUPLICATES.labels(event_type=event.type).inc()
        return first_time


def inbox_entry_created(*, event_id: uuid.UUID, handler_name: str) -> bool:
    """Writes the handler's inbox row unless it exists; whether it did. One statement, where
    get_or_create took a SELECT and a savepoint around its INSERT: a second delivery's insert
    waits for the first's transaction, then finds its row (or, rolled back, writes its own)."""
    table = connection.ops.quote_name(InboxEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (event_id, handler, handled_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (event_id, handler) DO NOTHING",
            [event_id, handler_name, timezone.now()],
        )
        inserted: int = cursor.rowcount
    return inserted == 1


def dead_letter_record(
    *, envelope: dict[str, Any], handler: str, error: str, attempts: int
) -> DeadLetter:
    logger.error("event_dead_lettered", handler=handler, error=error)
    attributes = envelope if isinstance(envelope, dict) else {}
    dead_letter, _ = DeadLetter.objects.update_or_create(
        event_id=_uuid_or_none(attributes.get("id")),
        handler=handler,
        defaults={
            "type": str(attributes.get("type", ""))[:64],
            "envelope": envelope,
            "error": error,
            "attempts": attempts,
            "replayed_at": None,
        },
    )
    count_on_commit(DEAD_LETTERS.labels(handler=handler).inc)
    return dead_letter


def _uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def dead_letter_replay(*, dead_letter: DeadLetter) -> DeadLetter:
    """Applies the event again with its handler (once: the inbox still guards it)."""
    try:
        event = Event.from_envelope(dead_letter.envelope)
        key = handler_key(dead_letter.handler)
        if key not in HANDLERS:
            raise InvalidEvent(f"this service has no handler {dead_letter.handler!r}")
        handler_apply(event=event, handler_name=key)
    except Exception as error:
        dead_letter.error = repr(error)
        dead_letter.attempts += 1
        dead_letter.save(update_fields=["error", "attempts", "failed_at"])
        raise ApplicationError(REPLAY_FAILED, status=409, code="replay_failed") from error
    dead_letter.replayed_at = timezone.now()
    dead_letter.save(update_fields=["replayed_at"])
    return dead_letter
