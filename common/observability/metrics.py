"""Mercato's own Prometheus metrics shared by every service, and the web process's /metrics.

Names and labels are the contract of docs/observability.md and the dashboards. Counters move in
the code where their event happens; what reads the database or the broker (outbox backlog,
unresolved dead letters, queue depth) is collected only when /metrics is scraped, by the web
process, one cheap query each. In multiprocess mode (PROMETHEUS_MULTIPROC_DIR) every gunicorn
worker and Celery child writes its own file and a scrape adds them up.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import structlog
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from kombu import Connection
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = structlog.get_logger(__name__)

DEAD_LETTERS = Counter(
    "mercato_dead_letters",
    "Events a handler kept failing on, recorded as dead letters, by handler key.",
    ["handler"],
)
EVENTS_HANDLED = Counter(
    "mercato_events_handled",
    "Events a handler applied (committed with its inbox row), by event type.",
    ["event_type"],
)
EVENTS_DUPLICATES = Counter(
    "mercato_events_duplicates",
    "Deliveries a handler's inbox refused as already handled, by event type.",
    ["event_type"],
)
# Each process has its own breakers: the highest state of a live process is the target's.
CIRCUIT_BREAKER_STATE = Gauge(
    "mercato_circuit_breaker_state",
    "The circuit breaker of calls to another service: 0 closed, 1 half-open, 2 open.",
    ["target"],
    multiprocess_mode="livemax",
)
BREAKER_STATE_VALUES = {"closed": 0, "half-open": 1, "open": 2}


def breaker_state_set(*, target: str, state: str) -> None:
    CIRCUIT_BREAKER_STATE.labels(target=target).set(BREAKER_STATE_VALUES[state])


def count_on_commit(increment: Callable[[], None]) -> None:
    """Calls `increment` once the current transaction commits (at once outside one): a change
    rolled back was never made, so it is never counted."""
    transaction.on_commit(increment)


def multiprocess_directory() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class OutboxCollector(Collector):
    """The outbox's unpublished rows and the age of the oldest, and the dead letters still
    unresolved (not replayed) by handler: read from this service's database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from common.events.models import DeadLetter, OutboxEvent

        pending = GaugeMetricFamily(
            "mercato_outbox_pending_events", "Outbox rows not yet published to the broker."
        )
        oldest_age = GaugeMetricFamily(
            "mercato_outbox_oldest_pending_age_seconds",
            "Seconds since the oldest unpublished outbox row was written; 0 when none is.",
        )
        unresolved = GaugeMetricFamily(
            "mercato_dead_letters_unresolved",
            "Dead letters not replayed yet, by handler key.",
            labels=["handler"],
        )
        try:
            backlog = OutboxEvent.objects.filter(published_at__isnull=True).aggregate(
                count=Count("id"), oldest=Min("created_at")
            )
            dead_letters = (
                DeadLetter.objects.filter(replayed_at__isnull=True)
                .values_list("handler")
                .annotate(count=Count("id"))
                .order_by()
            )
            unresolved_by_handler = list(dead_letters)
        except Exception:
            logger.warning("metrics_database_unavailable", exc_info=True)
            return
        pending.add_metric([], backlog["count"])
        age = (timezone.now() - backlog["oldest"]).total_seconds() if backlog["oldest"] else 0
        oldest_age.add_metric([], max(age, 0))
        for handler, count in unresolved_by_handler:
            unresolved.add_metric([handler], count)
        yield from (pending, oldest_age, unresolved)


class QueueDepthCollector(Collector):
    """Messages waiting in each of this service's Celery queues, asked of the broker at scrape
    time: a passive declare answers the count on RabbitMQ and on Redis alike."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "mercato_celery_queue_depth",
            "Messages waiting in the broker for this service's workers, by queue.",
            labels=["queue"],
        )
        timeout = settings.DEPENDENCY_TIMEOUT_SECONDS
        try:
            with current_app.connection_for_read(connect_timeout=timeout) as connection:
                # celery-types says whole seconds; kombu hands it to a float-taking socket.
                connection.ensure_connection(max_retries=1, timeout=timeout)  # type: ignore[arg-type]
                for queue in settings.CELERY_TASK_QUEUES:
                    depth.add_metric([queue.name], queue_depth(connection, queue.name))
        except Exception:
            logger.warning("metrics_broker_unavailable", exc_info=True)
            return
        yield depth


def queue_depth(connection: Connection, queue: str) -> int:
    """The messages in `queue`; a queue the broker does not know holds none (Redis drops an
    empty list). A channel each: RabbitMQ closes the one a missing queue was asked on."""
    # kombu's stubs type the channel as any channel; Redis's and RabbitMQ's take a passive declare.
    channel: Any = connection.channel()
    try:
        _, message_count, _ = channel.queue_declare(queue=queue, passive=True)
    except connection.channel_errors:
        return 0
    finally:
        try:
            channel.close()
        except connection.connection_errors + connection.channel_errors:
            pass
    return int(message_count)


def breakers_refreshed() -> None:
    """This process's breakers as the next call meets them: an open breaker whose timeout passed
    is half-open though no call has come to tell pybreaker so."""
    from common.clients.http import SERVICE_CLIENTS

    for client in list(SERVICE_CLIENTS):
        breaker_state_set(target=client.service, state=client.state)


class SettledFilesCollector(Collector):
    """Every process's metrics in the multiprocess directory, added up, as prometheus_client's
    MultiProcessCollector adds them, but for a file a process forked this instant has created and
    not yet sized: reading it would fail the whole scrape, so it waits for the next one."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def collect(self) -> Iterator[Metric]:
        files = [str(path) for path in Path(self.directory).glob("*.db") if file_size(path) > 0]
        yield from MultiProcessCollector.merge(files, accumulate=True)


def file_size(path: Path) -> int:
    """0 for a file gone meanwhile: a stopping process removes its live gauges."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def web_registry() -> CollectorRegistry:
    """What a web process's /metrics exports: every process's metrics (all gunicorn workers in
    multiprocess mode), and the gauges read from the database and the broker."""
    registry = CollectorRegistry()
    directory = multiprocess_directory()
    if directory:
        registry.register(SettledFilesCollector(directory))
    else:
        # A registry collects everything it holds, so it can be part of another.
        registry.register(REGISTRY)
    registry.register(OutboxCollector())
    registry.register(QueueDepthCollector())
    return registry


def metrics_view(request: HttpRequest) -> HttpResponse:
    breakers_refreshed()
    return HttpResponse(generate_latest(web_registry()), content_type=CONTENT_TYPE_LATEST)
