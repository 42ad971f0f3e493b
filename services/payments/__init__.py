"""The payments service: payments, refunds and provider calls."""

from services.payments.celery import app as celery_app

__all__ = ["celery_app"]
