"""Notifications event handlers: the user directory, the customer's e-mails, webhook fan-out."""

from apps.notifications import services
from apps.notifications.models import NotificationKind
from apps.notifications.tasks import webhook_deliveries_dispatch
from common.events.envelope import Event
from common.events.inbox import handler


@handler("user.registered", key="user_registered__welcome_recipient")
def recipient_welcome(event: Event) -> None:
    services.recipient_welcome(event=event)


@handler("user.updated", key="user_updated__update_recipient")
def recipient_update(event: Event) -> None:
    services.recipient_upsert(
        user_id=event.data["user_id"],
        email=event.data["email"],
        full_name=event.data["full_name"],
        as_of=services.event_time(event),
    )


ORDER_EMAILS = {
    "order.confirmed": NotificationKind.ORDER_CONFIRMED,
    "order.cancelled": NotificationKind.ORDER_CANCELLED,
    "order.refunded": NotificationKind.ORDER_REFUNDED,
}


@handler(*ORDER_EMAILS, key="order_events__send_email")
def order_email(event: Event) -> None:
    services.order_notify(event=event, kind=ORDER_EMAILS[event.type])


# Webhooks get their own handler (and inbox rows), so an e-mail waiting for its recipient
# does not hold back the customer's webhooks.
@handler(
    "order.created",
    "order.confirmed",
    "order.cancelled",
    "order.refunded",
    key="order_events__dispatch_webhooks",
)
def order_webhooks(event: Event) -> None:
    webhook_deliveries_dispatch(services.webhook_deliveries_create(event=event))
