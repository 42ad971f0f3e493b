"""Settings of the orders service: the shared base plus the apps it owns."""

from common.settings import environment
from common.settings.base import *  # noqa: F403
from common.settings.base import (
    CELERY_BEAT_SCHEDULE,
    INSTALLED_APPS,
    JOB_REQUEUE_AFTER_SECONDS,
    SPECTACULAR_SETTINGS,
)

INSTALLED_APPS = [*INSTALLED_APPS, "common.operator_admin.people", "apps.orders"]

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "order-saga-deadlines": {"task": "orders.saga_deadlines", "schedule": 10},
    "idempotency-keys-expire": {"task": "orders.idempotency_keys_expire", "schedule": 3600},
    "requeue-order-exports": {
        "task": "orders.exports_requeue",
        "schedule": JOB_REQUEUE_AFTER_SECONDS,
    },
}

SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    # Orders and export jobs both have a `status`; name each choice set once in the schema.
    "ENUM_NAME_OVERRIDES": {
        **SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"],
        "OrderStatusEnum": "apps.orders.models.OrderStatus",
    },
}

# Prices are read from catalog when an order is placed.
CATALOG_URL = environment.url(
    "CATALOG_URL", schemes=("http", "https"), default="http://127.0.0.1:8002"
)
# Per attempt; with one retry a dead catalog costs a request about two seconds at most.
CATALOG_READ_TIMEOUT_SECONDS = environment.integer(
    "CATALOG_READ_TIMEOUT_SECONDS", default=1, minimum=1
)
# An order still unpaid this long after it was placed is cancelled with reason `timeout`.
ORDER_SAGA_TIMEOUT_SECONDS = environment.integer(
    "ORDER_SAGA_TIMEOUT_SECONDS", default=900, minimum=1
)
