"""A task's lines on a real worker (catalog's Celery app, a real Redis broker) carry the context
of whoever queued it, and a task delivering an event carries the event's correlation id."""

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import structlog
from celery import Celery
from django.conf import settings

from common.events.envelope import envelope_for
from common.testing.events import event_data
from tests.common.observability.logging_probe import PROBE_TASK

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 90
WORKER_OPTIONS = [
    "worker",
    "--pool=solo",
    "--loglevel=INFO",
    "--include=tests.common.observability.logging_probe",
    "--without-heartbeat",
    "--without-mingle",
    "--without-gossip",
    "--queues",
]


class Worker:
    """`celery worker` for one queue of its own, its JSON lines collected as they come."""

    def __init__(self, queue: str) -> None:
        self.lines: list[dict] = []
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "services.catalog.celery",
                *WORKER_OPTIONS,
                queue,
            ],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "services.catalog.settings",
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                "MERCATO_ROLE": "worker",
                "LOG_FORMAT": "json",
            },
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self.collect, daemon=True).start()

    def collect(self) -> None:
        for text in self.process.stdout or ():
            self.output.append(text)
            if text.startswith("{"):
                self.lines.append(json.loads(text))

    def probe_lines(self, count: int) -> list[dict]:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            found = [line for line in self.lines if line["event"] == "probe_task_ran"]
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no {count} probe lines; the worker said:\n{''.join(self.output)}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def worker_queue():
    queue = f"logging-tests-{uuid.uuid4().hex[:8]}"
    worker = Worker(queue)
    yield worker, queue
    worker.stop()


def test_a_task_carries_its_senders_context_and_an_event_task_the_events_correlation(
    worker_queue,
):
    worker, queue = worker_queue
    # The session's Celery app runs tasks inline; this one sends to the real broker.
    sender = Celery("logging-tests", broker=settings.CELERY_BROKER_URL, set_as_current=False)
    envelope = envelope_for(
        event_type="stock.reserved", data=event_data("stock.reserved"), source="catalog"
    )
    with structlog.contextvars.bound_contextvars(
        request_id="req-77", correlation_id="order-77", sub="user-77"
    ):
        sender.send_task(PROBE_TASK, queue=queue)
    structlog.contextvars.clear_contextvars()
    sender.send_task(PROBE_TASK, args=[envelope], queue=queue)

    queued_in_a_request, delivering_an_event = worker.probe_lines(2)

    assert queued_in_a_request["correlation_id"] == "order-77"
    assert queued_in_a_request["request_id"] == "req-77"
    assert queued_in_a_request["sub"] == "user-77"
    assert (queued_in_a_request["service"], queued_in_a_request["role"]) == ("catalog", "worker")
    assert delivering_an_event["correlation_id"] == envelope["correlationid"]
    assert delivering_an_event["event_id"] == envelope["id"]
    assert "sub" not in delivering_an_event, "the first task's context stayed bound"
