"""Celery app of the catalog service; its workers consume the `catalog` queue."""

import os

from common.celery import create_celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.catalog.settings")

app = create_celery_app(service="catalog")
