"""A task that a real worker started by test_logging_tasks.py runs: it logs one line."""

import structlog
from celery import shared_task

PROBE_TASK = "tests.observability.log_a_line"

logger = structlog.get_logger(__name__)


@shared_task(name=PROBE_TASK)
def log_a_line(*args: object) -> None:
    logger.info("probe_task_ran")
