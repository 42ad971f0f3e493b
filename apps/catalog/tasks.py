"""Catalog's Celery tasks: the product import job and the sweep that sends lost ones again."""

from celery import shared_task

from apps.catalog import services
from common.celery import sweep_reported


@shared_task(name=services.PRODUCT_IMPORT_TASK, acks_late=True, ignore_result=True)
def product_import_task(import_id: str) -> None:
    services.product_import_run(import_id=import_id)


@shared_task(name="catalog.product_imports_requeue", ignore_result=True)
def product_imports_requeue_task() -> int:
    return sweep_reported("product_imports_requeue", services.product_imports_requeue())
