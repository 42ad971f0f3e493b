"""What payments does when orders asks it to charge or to refund an order."""

import uuid
from decimal import Decimal

from apps.payments import services
from common.events.envelope import Event
from common.events.inbox import handler


@handler("order.payment_requested", key="order_payment_requested__request_payment")
def payment_on_requested(event: Event) -> None:
    data = event.data
    services.payment_request(
        order_id=uuid.UUID(data["order_id"]),
        customer_id=uuid.UUID(data["customer_id"]),
        amount=Decimal(data["amount"]),
        currency=data["currency"],
        payment_method=data["payment_method"],
    )


@handler("order.refund_requested", key="order_refund_requested__request_refund")
def payment_on_refund_requested(event: Event) -> None:
    services.payment_refund_request(order_id=uuid.UUID(event.data["order_id"]))
