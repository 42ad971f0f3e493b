"""The `events` app: each service's outbox, inbox and dead letters, and its handlers."""

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


class EventsConfig(AppConfig):
    name = "common.events"
    label = "events"

    def ready(self) -> None:
        from common.events.inbox import HANDLERS
        from common.events.subscriptions import SUBSCRIPTIONS

        autodiscover_modules("handlers")
        # A handler for a type the subscription table does not send this service would never run.
        subscribed = SUBSCRIPTIONS[settings.SERVICE_NAME]
        handled = {event_type for types, _ in HANDLERS.values() for event_type in types}
        if unbound := sorted(handled - set(subscribed)):
            raise ImproperlyConfigured(
                f"{settings.SERVICE_NAME} handles {', '.join(unbound)} but "
                "common/events/subscriptions.py does not subscribe it"
            )
