"""Builds each service's Celery app from its Django settings (the `CELERY_` ones)."""

from celery import Celery


def create_celery_app(*, service: str) -> Celery:
    """Celery's Django fixup closes inherited database connections in every prefork child."""
    app = Celery(service)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.autodiscover_tasks()
    return app
