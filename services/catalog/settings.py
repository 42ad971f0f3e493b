"""Settings of the catalog service: the shared base plus the apps it owns."""

from common.settings import environment
from common.settings.base import *  # noqa: F403
from common.settings.base import (
    CELERY_BEAT_SCHEDULE,
    INSTALLED_APPS,
    JOB_REQUEUE_AFTER_SECONDS,
)

INSTALLED_APPS = [*INSTALLED_APPS, "common.operator_admin.people", "apps.catalog", "apps.inventory"]

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "expire-reservations": {
        "task": "catalog.reservations_expire",
        "schedule": environment.integer("RESERVATION_SWEEP_SECONDS", default=30, minimum=1),
    },
    "requeue-product-imports": {
        "task": "catalog.product_imports_requeue",
        "schedule": JOB_REQUEUE_AFTER_SECONDS,
    },
}

# How long stock stays held for an order that is neither paid nor cancelled.
RESERVATION_TTL_SECONDS = environment.integer("RESERVATION_TTL_SECONDS", default=1800, minimum=1)
