"""What catalog does with the orders' events: hold, commit, release and return their stock."""

from apps.inventory import services
from common.events.envelope import Event
from common.events.inbox import handler


@handler("order.created", key="order_created__reserve_stock")
def order_created_reserve_stock(event: Event) -> None:
    services.stock_reserve(order_id=event.data["order_id"], lines=event.data["lines"])


@handler("order.confirmed", key="order_confirmed__commit_stock")
def order_confirmed_commit_stock(event: Event) -> None:
    services.reservation_commit(order_id=event.data["order_id"])


@handler("order.cancelled", key="order_cancelled__release_stock")
def order_cancelled_release_stock(event: Event) -> None:
    services.reservation_release(order_id=event.data["order_id"], reason=event.data["reason"])


@handler("order.refunded", key="order_refunded__return_stock")
def order_refunded_return_stock(event: Event) -> None:
    services.reservation_return(order_id=event.data["order_id"])
