"""Fixtures of the payments suite."""

from collections.abc import Iterator

import pytest
from celery import current_app


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs what the block queues for after commit (tasks run inline), as a worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def retrying_worker() -> Iterator[None]:
    """Inline tasks that retry as a worker does: with errors propagated, Celery raises a task's
    first `Retry` instead of running the next attempt."""
    propagates = current_app.conf.task_eager_propagates
    current_app.conf.task_eager_propagates = False
    yield
    current_app.conf.task_eager_propagates = propagates
