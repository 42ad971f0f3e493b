"""Each service's own outbox, inbox and dead letters, migrated into its own database."""

import uuid

from django.db import models


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it announces."""

    id = models.UUIDField(primary_key=True)
    type = models.CharField(max_length=64)
    envelope = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ("created_at",)
        indexes = [
            # The relay's sweep reads only what is left to publish.
            models.Index(
                fields=["created_at"],
                condition=models.Q(published_at__isnull=True),
                name="events_outbox_unpublished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class InboxEntry(models.Model):
    """Proof that `handler` applied event `event_id`, committed together with its effects."""

    event_id = models.UUIDField()
    handler = models.CharField(max_length=200)
    handled_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "inbox entries"
        constraints = [
            models.UniqueConstraint(fields=["event_id", "handler"], name="events_inbox_once")
        ]

    def __str__(self) -> str:
        return f"{self.handler} handled {self.event_id}"


class DeadLetter(models.Model):
    """An event a handler kept failing on; an operator replays it once the fault is fixed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Empty only for an envelope too malformed to name its event.
    event_id = models.UUIDField(null=True, blank=True)
    type = models.CharField(max_length=64)
    handler = models.CharField(max_length=200)
    envelope = models.JSONField()
    error = models.TextField()
    attempts = models.PositiveIntegerField()
    failed_at = models.DateTimeField(auto_now=True)
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-failed_at",)
        constraints = [
            models.UniqueConstraint(fields=["event_id", "handler"], name="events_dead_letter_once")
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id} in {self.handler}"
