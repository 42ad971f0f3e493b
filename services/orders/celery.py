"""Celery app of the orders service; its workers consume the `orders` queue."""

import os

from common.celery import create_celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.orders.settings")

app = create_celery_app(service="orders")
