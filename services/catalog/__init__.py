"""The catalog service: categories, products, prices and stock."""

from services.catalog.celery import app as celery_app

__all__ = ["celery_app"]
