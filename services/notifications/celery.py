"""Celery app of the notifications service; its workers consume the `notifications` queue."""

import os

from common.celery import create_celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.notifications.settings")

app = create_celery_app(service="notifications")
