"""Event reads: the dead letters waiting for an operator."""

from django.db.models import Count

from common.events.models import DeadLetter


def dead_letter_counts_by_handler() -> list[tuple[str, int]]:
    """Dead letters not replayed yet, by the handler that failed, the most first; one query."""
    return list(
        DeadLetter.objects.filter(replayed_at__isnull=True)
        .values_list("handler")
        .annotate(count=Count("id"))
        .order_by("-count", "handler")
    )
