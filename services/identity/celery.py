"""Celery app of the identity service; its workers consume the `identity` queue."""

import os

from common.celery import create_celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.identity.settings")

app = create_celery_app(service="identity")
