"""The identity service: users, roles, service accounts and signing keys."""

from services.identity.celery import app as celery_app

__all__ = ["celery_app"]
