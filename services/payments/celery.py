"""Celery app of the payments service; its workers consume the `payments` queue."""

import os

from common.celery import create_celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.payments.settings")

app = create_celery_app(service="payments")
