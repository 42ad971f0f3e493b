"""Keeping each service's event tables small: old sent outbox rows and inbox entries go."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from common.events.models import InboxEntry, OutboxEvent


def events_prune() -> dict[str, int]:
    """Deletes outbox rows sent more than OUTBOX_RETENTION_DAYS ago and inbox entries older than
    INBOX_RETENTION_DAYS (far beyond any redelivery, which comes within minutes); returns how
    many of each. Unsent rows and dead letters stay whatever their age."""
    now = timezone.now()
    sent, _ = OutboxEvent.objects.filter(
        published_at__lt=now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    ).delete()
    handled, _ = InboxEntry.objects.filter(
        handled_at__lt=now - timedelta(days=settings.INBOX_RETENTION_DAYS)
    ).delete()
    return {"outbox": sent, "inbox": handled}
