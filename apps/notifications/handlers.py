"""Notifications event handlers: the user directory, the customer's e-mails, webhook fan-out."""

from apps.notifications import services
from apps.notifications.models import NotificationKind
from apps.notifications.tasks import webhook_deliveries_dispatch
from common.events.envelope import Event
from common.events.inbox import handler


@handler("user.registered")
def recipient_welcome(event: Event) -> None:
    services.recipient_welcome(event=event)


@handler("user.updated")
def recipient_update(event: Event) -> None:
    services.recipient_upsert(
        user_id=event.data["user_id"],
        email=event.data["email"],
        full_name=event.data["full_name"],
        as_of=services.event_time(event),
    )


@handler("order.confirmed")
def order_confirmed_email(event: Event) -> None:
    services.order_notify(event=event, kind=NotificationKind.ORDER_CONFIRMED)


@handler("order.cancelled")
def order_cancelled_email(event: Event) -> None:
    services.order_notify(event=event, kind=NotificationKind.ORDER_CANCELLED)


@handler("order.refunded")
def order_refunded_email(event: Event) -> None:
    services.order_notify(event=event, kind=NotificationKind.ORDER_REFUNDED)


# Webhooks get their own handlers (and inbox rows), so an e-mail waiting for its recipient
# does not hold back the customer's webhooks.
@handler("order.created")
def order_created_webhooks(event: Event) -> None:
    webhook_deliveries_dispatch(services.webhook_deliveries_create(event=event))


@handler("order.confirmed")
def order_confirmed_webhooks(event: Event) -> None:
    webhook_deliveries_dispatch(services.webhook_deliveries_create(event=event))


@handler("order.cancelled")
def order_cancelled_webhooks(event: Event) -> None:
    webhook_deliveries_dispatch(services.webhook_deliveries_create(event=event))


@handler("order.refunded")
def order_refunded_webhooks(event: Event) -> None:
    webhook_deliveries_dispatch(services.webhook_deliveries_create(event=event))
