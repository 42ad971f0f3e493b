"""Operators see the outbox and the dead letters of their service, and replay dead letters."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Model

from common.audit.actions import Actor, confirmed_action
from common.audit.display import json_display
from common.auth.operators import ScopedModelAdmin
from common.auth.scopes import event_read_scope, event_replay_scope
from common.errors import ApplicationError
from common.events.inbox import dead_letter_replay
from common.events.models import DeadLetter, OutboxEvent

REPLAYED_ALREADY = "This event was replayed already."


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
    exclude = ("envelope",)
    readonly_fields = ("id", "type", "envelope_shown", "created_at", "published_at")
    envelope_shown = json_display("envelope", description="envelope")


@admin.register(DeadLetter)
class DeadLetterAdmin(EventAdmin):
    list_display = ("event_id", "type", "handler", "attempts", "failed_at", "replayed_at")
    list_filter = ("type", "handler", ("replayed_at", admin.EmptyFieldListFilter))
    # By event id or by the order the event is about: what an operator has in hand.
    search_fields = ("envelope__id", "envelope__data__order_id")
    exclude = ("envelope",)
    readonly_fields = (
        "event_id",
        "type",
        "handler",
        "envelope_shown",
        "error",
        "attempts",
        "failed_at",
        "replayed_at",
    )
    envelope_shown = json_display("envelope", description="envelope")
    actions = ("replay",)

    @confirmed_action(
        action="events.dead_letter.replay",
        description="Replay the selected events",
        scope=event_replay_scope(settings.SERVICE_NAME),
        fields=("attempts", "error", "replayed_at"),
        done="applied",
    )
    def replay(self, dead_letter: DeadLetter, actor: Actor) -> None:
        if dead_letter.replayed_at is not None:
            raise ApplicationError(REPLAYED_ALREADY, status=409, code="replayed_already")
        dead_letter_replay(dead_letter=dead_letter)
