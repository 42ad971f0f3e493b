"""The notifications service: the user directory, e-mails and webhooks."""

from services.notifications.celery import app as celery_app

__all__ = ["celery_app"]
