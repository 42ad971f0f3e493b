"""Jobs a request starts and a worker runs (imports, exports): one status, one row, one sweep."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from common.celery import enqueue


class JobStatus(models.TextChoices):
    QUEUED = "QUEUED", "Queued"
    RUNNING = "RUNNING", "Running"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"


FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    """A job's row is its state: created QUEUED with its input, it ends SUCCEEDED or FAILED with
    `error` saying why, and `finished_at` set either way. While it runs, `processed_rows` of
    `total_rows` (unknown until the job has counted them) say how far it is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField(blank=True)
    requested_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    # With a database default: code from before this column (the release still serving during a
    # rollout) writes rows without it.
    processed_rows = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        abstract = True
        ordering = ("-created_at",)


class JobProgress:
    """A running job's count of rows done, saved every `every_rows` rather than per row, each save
    committed on its own so the admin sees it while the job runs. A job no longer RUNNING (a
    duplicate run finished it) is left as it ended."""

    def __init__(
        self, *, model: type[Job], job_id: uuid.UUID | str, total_rows: int, every_rows: int
    ) -> None:
        self.model = model
        self.job_id = job_id
        self.every_rows = every_rows
        self.processed_rows = 0
        self.saved_rows = 0
        self.running().update(total_rows=total_rows, processed_rows=0)

    def advance(self, rows: int = 1) -> None:
        self.processed_rows += rows
        if self.processed_rows - self.saved_rows >= self.every_rows:
            self.running().update(processed_rows=self.processed_rows)
            self.saved_rows = self.processed_rows

    def running(self) -> models.QuerySet[Job]:
        return self.model._default_manager.filter(id=self.job_id, status=JobStatus.RUNNING)


@contextmanager
def job_failure_recorded(*, model: type[Job], job_id: uuid.UUID | str) -> Iterator[None]:
    """Ends the job FAILED with the error its block raised, then raises it on for the worker's log.
    Saved outside the block's transaction, which the error rolled back; a worker killed outright
    raises nothing, so its job keeps its status and resumes when the task is delivered again."""
    try:
        yield
    except Exception as error:
        model._default_manager.filter(id=job_id).update(
            status=JobStatus.FAILED, error=job_error(error), finished_at=timezone.now()
        )
        raise


def job_error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def jobs_requeue_stale(*, model: type[Job], task_name: str) -> int:
    """Sends `task_name` again for each job still QUEUED JOB_REQUEUE_AFTER_SECONDS after it was
    created (its task was lost: the broker was down when its row committed, say); returns how
    many were sent. A duplicate is harmless: running a job twice does its work once."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    stale = model._default_manager.filter(status=JobStatus.QUEUED, created_at__lt=cutoff)
    return sum(enqueue(task_name, str(job_id)) for job_id in stale.values_list("id", flat=True))
