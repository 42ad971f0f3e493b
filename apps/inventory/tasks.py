"""Inventory's Celery tasks: the periodic release of reservations nobody paid for in time."""

from celery import shared_task

from apps.inventory.services import reservations_expire
from common.celery import sweep_reported


@shared_task(name="catalog.reservations_expire", ignore_result=True)
def reservations_expire_task() -> int:
    return sweep_reported("reservations_expire", reservations_expire())
