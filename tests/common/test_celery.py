"""common.celery: a task queued by name is sent once its transaction commits, a broker that
refuses it is logged, never raised into the caller, and a periodic sweep logs its outcome at
DEBUG when it found nothing and at INFO when it did something; a prefork worker's main process
hides what it holds from the collector before each fork."""

import gc
import logging

import pytest
from celery import shared_task
from celery.signals import worker_before_create_process
from django.db import transaction

from common.celery import enqueue_after_commit, sweep_reported
from common.events.tasks import prune_events, sweep_outbox
from common.testing.celery import broker_unreachable

pytestmark = pytest.mark.django_db

RECORD_TASK = "tests.common.record"
received: list[tuple] = []


@shared_task(name=RECORD_TASK)
def record_task(*args) -> None:
    received.append(args)


@pytest.fixture(autouse=True)
def nothing_received():
    received.clear()


def test_a_task_is_sent_by_name_only_once_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue_after_commit(RECORD_TASK, "job-1", "job-2")
            assert received == []
        assert received == []

    assert received == [("job-1", "job-2")]


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_after_commit(RECORD_TASK, "job-1")
        transaction.set_rollback(True)

    assert received == []


def test_a_broker_that_refuses_is_logged_naming_task_and_arguments_and_not_raised(
    django_capture_on_commit_callbacks, caplog
):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(RECORD_TASK, "job-1")

    assert received == []
    (logged,) = [record.msg for record in caplog.records if record.name == "common.celery"]
    assert (logged["event"], logged["task"], logged["args"], logged["exc_info"]) == (
        "task_not_sent",
        RECORD_TASK,
        ["job-1"],
        True,
    )


def sweep_lines(caplog) -> list[tuple[str, dict]]:
    """The sweeps' lines: the level each is logged at, and its fields."""
    return [
        (record.levelname, {k: v for k, v in record.msg.items() if k not in ("timestamp",)})
        for record in caplog.records
        if isinstance(record.msg, dict) and record.msg.get("event") == "sweep_finished"
    ]


def test_a_sweep_that_found_nothing_is_a_debug_line_and_one_that_did_something_an_info_line(
    caplog,
):
    caplog.set_level(logging.DEBUG, logger="common.celery")

    assert sweep_reported("outbox", 0) == 0
    assert sweep_reported("outbox", 3) == 3
    assert sweep_reported("events_prune", {"outbox": 0, "inbox": 0}) == {"outbox": 0, "inbox": 0}
    assert sweep_reported("events_prune", {"outbox": 0, "inbox": 2}) == {"outbox": 0, "inbox": 2}

    assert [(level, line["sweep"], line["level"]) for level, line in sweep_lines(caplog)] == [
        ("DEBUG", "outbox", "debug"),
        ("INFO", "outbox", "info"),
        ("DEBUG", "events_prune", "debug"),
        ("INFO", "events_prune", "info"),
    ]
    assert [line.get("found") for _, line in sweep_lines(caplog)][:2] == [0, 3]
    assert sweep_lines(caplog)[3][1]["inbox"] == 2


def test_at_the_default_level_an_idle_sweep_writes_nothing(caplog):
    caplog.set_level(logging.INFO, logger="common.celery")

    sweep_reported("outbox", 0)

    assert sweep_lines(caplog) == []


def test_the_event_sweeps_of_an_idle_service_log_only_at_debug(caplog):
    caplog.set_level(logging.DEBUG)

    sweep_outbox()
    prune_events()

    lines = sweep_lines(caplog)
    assert [(level, line["sweep"]) for level, line in lines] == [
        ("DEBUG", "outbox"),
        ("DEBUG", "events_prune"),
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.INFO], caplog.text


@pytest.fixture
def collector_unfrozen():
    yield
    gc.unfreeze()


def test_before_a_prefork_child_forks_the_objects_alive_are_frozen_out_of_collections(
    collector_unfrozen,
):
    held = {"alive": ["before the fork"]}
    gc.unfreeze()

    worker_before_create_process.send(sender=None)

    assert gc.get_freeze_count() > 0
    assert not any(container is held for container in gc.get_objects())
