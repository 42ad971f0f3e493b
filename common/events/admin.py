"""Operators see the outbox and the dead letters of their service, and replay dead letters."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from common.api.errors import ApplicationError
from common.auth.operators import ScopedModelAdmin, session_scopes
from common.auth.scopes import event_read_scope, event_replay_scope
from common.events.inbox import dead_letter_replay
from common.events.models import DeadLetter, OutboxEvent


class EventAdmin(ScopedModelAdmin):
    """Seen with `<service>.event.read`; with no write scope, nobody edits these by hand."""

    def __init__(self, model: type[Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)
        self.read_scope = event_read_scope(settings.SERVICE_NAME)


@admin.register(OutboxEvent)
class OutboxEventAdmin(EventAdmin):
    list_display = ("id", "type", "created_at", "published_at")
    list_filter = ("type", ("published_at", admin.EmptyFieldListFilter))
    search_fields = ("envelope__id", "envelope__data__order_id")
    readonly_fields = ("id", "type", "envelope", "created_at", "published_at")


@admin.register(DeadLetter)
class DeadLetterAdmin(EventAdmin):
    list_display = ("event_id", "type", "handler", "attempts", "failed_at", "replayed_at")
    list_filter = ("type", "handler", ("replayed_at", admin.EmptyFieldListFilter))
    # By event id or by the order the event is about: what an operator has in hand.
    search_fields = ("envelope__id", "envelope__data__order_id")
    readonly_fields = (
        "event_id",
        "type",
        "handler",
        "envelope",
        "error",
        "attempts",
        "failed_at",
        "replayed_at",
    )
    actions = ("replay",)

    @property
    def replay_scope(self) -> str:
        return event_replay_scope(settings.SERVICE_NAME)

    def has_replay_permission(self, request: HttpRequest) -> bool:
        return self.replay_scope in session_scopes(request)

    @admin.action(description="Replay the selected events", permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[DeadLetter]) -> None:
        for dead_letter in queryset.filter(replayed_at__isnull=True):
            try:
                dead_letter_replay(dead_letter=dead_letter)
            except ApplicationError as failure:
                self.message_user(
                    request, f"{dead_letter}: {failure.message}", level=messages.ERROR
                )
            else:
                self.message_user(request, f"{dead_letter}: applied.", level=messages.SUCCESS)
