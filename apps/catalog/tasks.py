"""Catalog's Celery tasks: the product import job."""

from celery import shared_task

from apps.catalog import services


@shared_task(name="catalog.product_import_run", acks_late=True, ignore_result=True)
def product_import_task(import_id: str) -> None:
    services.product_import_run(import_id=import_id)
