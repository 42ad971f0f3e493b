"""Idempotency records: each owner's first successful answer under a key, kept KEY_LIFETIME.

A service's models subclass the record and its beat expires them; the API edge that stores and
replays them is common/api/idempotency.py. Models import this module, so it imports nothing of
DRF: a Celery worker or beat does not load the API's views through it.
"""

from datetime import timedelta
from typing import ClassVar, Self

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

KEY_LIFETIME = timedelta(hours=24)


class IdempotencyRecord(models.Model):
    """The first successful answer to one owner's request under one key."""

    owner_id = models.CharField(max_length=200)
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Django gives each concrete subclass this manager; the stubs see none on an abstract model.
    objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["owner_id", "key"], name="%(app_label)s_%(class)s_once_per_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.owner_id}"


def idempotency_keys_expire(*, model: type[IdempotencyRecord]) -> int:
    """Deletes the keys older than KEY_LIFETIME; returns how many."""
    deleted, _ = model.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted
