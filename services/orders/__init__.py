"""The orders service: orders and the checkout saga."""

from services.orders.celery import app as celery_app

__all__ = ["celery_app"]
