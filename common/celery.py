"""Celery in every service: the app built from settings, and the one way to queue a task by name."""

import gc
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar, cast

import structlog
from celery import Celery, bootsteps, current_app
from celery.beat import EmbeddedService
from celery.signals import task_postrun, task_prerun, worker_before_create_process
from django.conf import settings
from django.db import close_old_connections, transaction
from django.dispatch import Signal
from django.utils import timezone
from kombu import Connection, Producer

from common.observability import worker as worker_metrics
from common.observability.tracing import tracing_connect_celery
from common.settings import settings_validated

logger = structlog.get_logger(__name__)
# What a task may be sent: its arguments travel as JSON.
TaskArgument = str | int | dict[str, object]
# What a periodic sweep returns: how many things it handled, or that by kind.
SweepOutcome = TypeVar("SweepOutcome", int, dict[str, int])


def create_celery_app(*, service: str) -> Celery:
    """Celery's Django fixup closes inherited database connections in every prefork child. The
    settings load first, so a worker or beat with a bad environment stops with the one line."""
    settings_validated()
    # The fixup runs Django's system checks as a worker or beat imports the tasks, and the URL
    # check loads every view: the API's and the admin's, which a worker never serves, held for
    # the process's life. The release's migrate runs the checks (and the suites do).
    os.environ.setdefault("CELERY_SKIP_CHECKS", "true")
    worker_metrics.connect_signals()
    app = Celery(service)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.autodiscover_tasks()
    tracing_connect_celery()
    if settings.BEAT_IN_WORKER:
        app.steps["worker"].add(ThreadedBeat)
    return app


def connections_checked(*, task: Any, **signal_arguments: object) -> None:
    """Around every task, as Django does around every request: a connection past CONN_MAX_AGE or
    broken by an error is closed, and the next query checks the one kept (CONN_HEALTH_CHECKS). The
    Celery fixup's own close around every task is off (CELERY_DB_REUSE_MAX). A task run eagerly
    runs inside its caller's transaction, which must be left alone."""
    if not getattr(task.request, "is_eager", False):
        close_old_connections()


task_prerun.connect(connections_checked, weak=False)
task_postrun.connect(connections_checked, weak=False)


def objects_frozen_before_fork(**signal_arguments: object) -> None:
    """In a prefork worker's main process, before each child is forked: every object alive is
    moved out of the collector's sight (gc.freeze), so a child's collections never walk, and so
    never write to, the pages it shares with its parent, which the kernel would then copy."""
    gc.freeze()


worker_before_create_process.connect(objects_frozen_before_fork, weak=False)


class ThreadedBeat(bootsteps.StartStopStep):
    """Beat as a thread of the worker (BEAT_IN_WORKER, for one machine: `make run`), rather than a
    process of its own; with the solo pool the worker is then one process. Beat only sends tasks,
    which the worker's pool runs like any other."""

    label = "ThreadedBeat"
    requires = ("celery.worker.components:Pool",)

    def create(self, worker: Any) -> Any:
        return EmbeddedService(
            worker.app,
            thread=True,
            schedule_filename=worker.schedule_filename,
            scheduler_cls=worker.scheduler,
        )


@contextmanager
def connected_producer() -> Iterator[Producer]:
    """A producer whose connection to the broker was tried once: kombu would otherwise retry for
    seconds inside the request that sends. Publishing keeps Celery's short retry policy, which
    reconnects a pooled connection the broker closed while it sat idle (RabbitMQ restarted)."""
    with current_app.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=0)
        yield producer


# Sent when the broker is found to have lost what it held (a Redis restarted without persistence):
# each app sends again the tasks its rows say are still to do, as its periodic sweeps would later.
broker_forgot = Signal()


def broker_lost_messages() -> bool:
    """Whether the broker lost every message it held since this service last looked: a Redis
    without this service's marker key (restarted empty, or flushed). RabbitMQ keeps durable
    queues and persistent messages, so it never does. Call `broker_messages_remembered()` once
    what was lost has been sent again."""
    with connected_producer() as producer:
        if cast(Connection, producer.connection).transport.driver_type != "redis":
            return False
        channel: Any = producer.channel
        return not channel.client.exists(broker_marker())


def broker_messages_remembered() -> None:
    with connected_producer() as producer:
        channel: Any = producer.channel
        channel.client.set(broker_marker(), timezone.now().isoformat())


def broker_marker() -> str:
    return f"mercato.{settings.SERVICE_NAME}.broker_remembers"


def enqueue_after_commit(task_name: str, *args: TaskArgument) -> None:
    """Sends the task named `task_name` with `args` once the current transaction commits (at once
    outside one). Services name their tasks rather than import them, as tasks import services."""
    transaction.on_commit(partial(enqueue, task_name, *args))


def enqueue(task_name: str, *args: TaskArgument, countdown: float = 0) -> bool:
    """Sends the task now; a broker that refuses it is logged, never raised, and False returned:
    the work must stay recoverable from its database row (a sweep sends it again)."""
    try:
        with connected_producer() as producer:
            current_app.signature(task_name, args=args).apply_async(
                countdown=countdown, producer=producer
            )
    except Exception:
        logger.warning("task_not_sent", task=task_name, args=list(args), exc_info=True)
        return False
    return True


def sweep_reported(sweep: str, outcome: SweepOutcome) -> SweepOutcome:
    """A periodic sweep's one line, returning its outcome: at DEBUG when it found nothing, so an
    idle platform's console stays quiet, at INFO with its counts when it did something."""
    counts: Mapping[str, int] = outcome if isinstance(outcome, dict) else {"found": outcome}
    level = logging.INFO if any(counts.values()) else logging.DEBUG
    logger.log(level, "sweep_finished", sweep=sweep, **counts)
    return outcome
