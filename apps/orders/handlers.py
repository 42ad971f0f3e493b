"""The checkout saga's inbound steps: catalog's and payments' events move an order along."""

from apps.orders import services
from common.events.envelope import Event
from common.events.inbox import handler


def actor_of(event: Event) -> str:
    """`service:catalog` for an event whose source is `/catalog`."""
    return f"service:{event.source.strip('/')}"


@handler("stock.reserved", key="stock_reserved__mark_order_reserved")
def order_reserved(event: Event) -> None:
    services.order_mark_reserved(order_id=event.data["order_id"], actor=actor_of(event))


@handler("stock.rejected", key="stock_rejected__mark_order_rejected")
def order_rejected(event: Event) -> None:
    services.order_mark_rejected(
        order_id=event.data["order_id"], reason=event.data["reason"], actor=actor_of(event)
    )


@handler("payment.succeeded", key="payment_succeeded__mark_order_paid")
def order_paid(event: Event) -> None:
    services.order_mark_paid(order_id=event.data["order_id"], actor=actor_of(event))


@handler("payment.failed", key="payment_failed__mark_order_payment_failed")
def order_payment_failed(event: Event) -> None:
    services.order_mark_payment_failed(order_id=event.data["order_id"], actor=actor_of(event))


@handler("payment.refunded", key="payment_refunded__mark_order_refunded")
def order_refunded(event: Event) -> None:
    services.order_mark_refunded(order_id=event.data["order_id"], actor=actor_of(event))
