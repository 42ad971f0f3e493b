"""common.celery: a task queued by name is sent once its transaction commits, and a broker that
refuses it is logged, never raised into the caller."""

import pytest
from celery import shared_task
from django.db import transaction

from common.celery import enqueue_after_commit
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
