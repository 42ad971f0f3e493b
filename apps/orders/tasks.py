"""Orders' Celery tasks: saga deadlines, key expiry, the CSV export job and lost exports' sweep."""

from celery import shared_task

from apps.orders import services
from apps.orders.models import IdempotencyKey
from common.celery import sweep_reported
from common.idempotency import idempotency_keys_expire

SAGA_DEADLINES_TASK = "orders.saga_deadlines"
IDEMPOTENCY_KEYS_EXPIRE_TASK = "orders.idempotency_keys_expire"
EXPORTS_REQUEUE_TASK = "orders.exports_requeue"


@shared_task(name=SAGA_DEADLINES_TASK, ignore_result=True)
def order_saga_deadlines_task() -> int:
    return sweep_reported("saga_deadlines", services.orders_expire_unpaid())


@shared_task(name=IDEMPOTENCY_KEYS_EXPIRE_TASK, ignore_result=True)
def idempotency_keys_expire_task() -> int:
    return sweep_reported("idempotency_keys_expire", idempotency_keys_expire(model=IdempotencyKey))


@shared_task(name=services.ORDER_EXPORT_TASK, ignore_result=True)
def order_export_run_task(export_id: str) -> None:
    services.order_export_run(export_id=export_id)


@shared_task(name=EXPORTS_REQUEUE_TASK, ignore_result=True)
def order_exports_requeue_task() -> int:
    return sweep_reported("order_exports_requeue", services.order_exports_requeue())
