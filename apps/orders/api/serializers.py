"""How orders and export jobs look to REST clients."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from apps.orders.models import Order, OrderExport, OrderLine, OrderStatusChange
from apps.orders.selectors import ORDER_LINE_FIELDS, ORDER_LIST_FIELDS


class OrderLineOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ("product_id", "sku", "name", "unit_price", "quantity")


class OrderStatusChangeOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderStatusChange
        fields = ("from_status", "to_status", "reason", "actor", "at")


class OrderOutput(serializers.ModelSerializer):
    lines = OrderLineOutput(many=True, read_only=True)

    class Meta:
        model = Order
        fields: tuple[str, ...] = (
            "id",
            "customer_id",
            "status",
            "currency",
            "total",
            "payment_method",
            "cancel_reason",
            "lines",
            "created_at",
            "updated_at",
        )


# Money columns have two decimal places, which DRF's DecimalField keeps in the string it writes.
CENTS = Decimal("0.01")


def money_output(amount: Decimal) -> str:
    """An amount as OrderOutput's DecimalField writes it: fixed-point, two places."""
    return f"{amount.quantize(CENTS):f}"


def moment_output(moment: datetime) -> str:
    """A time as DRF's DateTimeField writes it: ISO 8601 in the current timezone, UTC as `Z`."""
    text = moment.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def order_list_output(order: dict[str, Any]) -> dict[str, Any]:
    """What `OrderOutput(order).data` is, from a row of `order_rows_with_lines` instead of an
    instance: the list renders tens of orders a request, and a ModelSerializer builds its fields
    and runs a Field per value for each. tests/orders/test_orders_outputs.py holds the two
    equal."""
    return {
        "id": str(order["id"]),
        "customer_id": str(order["customer_id"]),
        "status": order["status"],
        "currency": order["currency"],
        "total": money_output(order["total"]),
        "payment_method": order["payment_method"],
        "cancel_reason": order["cancel_reason"],
        "lines": [
            {
                "product_id": str(line["product_id"]),
                "sku": line["sku"],
                "name": line["name"],
                "unit_price": money_output(line["unit_price"]),
                "quantity": line["quantity"],
            }
            for line in order["lines"]
        ],
        "created_at": moment_output(order["created_at"]),
        "updated_at": moment_output(order["updated_at"]),
    }


class OrderDetailOutput(OrderOutput):
    history = OrderStatusChangeOutput(many=True, read_only=True)

    class Meta(OrderOutput.Meta):
        fields = (*OrderOutput.Meta.fields, "history")


def order_detail_output(order: Order) -> dict[str, Any]:
    """What `OrderDetailOutput(order).data` is, without the serializers building their fields
    for one order: a fifth of a placement's time went there. tests/orders/test_orders_outputs.py
    holds the two equal."""
    row = {field: getattr(order, field) for field in ORDER_LIST_FIELDS}
    lines = [
        {field: getattr(line, field) for field in ORDER_LINE_FIELDS} for line in order.lines.all()
    ]
    history = [
        {
            "from_status": change.from_status,
            "to_status": change.to_status,
            "reason": change.reason,
            "actor": change.actor,
            "at": moment_output(change.at),
        }
        for change in order.history.all()
    ]
    return {**order_list_output({**row, "lines": lines}), "history": history}


class OrderExportOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = OrderExport
        fields = (
            "id",
            "status",
            "filters",
            "row_count",
            "error",
            "created_at",
            "finished_at",
            "download_url",
        )

    def get_download_url(self, export: OrderExport) -> str:
        return reverse("order-export-download", kwargs={"export_id": export.id})
