"""How orders and export jobs look to REST clients."""

from django.urls import reverse
from rest_framework import serializers

from apps.orders.models import Order, OrderExport, OrderLine, OrderStatusChange


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


class OrderDetailOutput(OrderOutput):
    history = OrderStatusChangeOutput(many=True, read_only=True)

    class Meta(OrderOutput.Meta):
        fields = (*OrderOutput.Meta.fields, "history")


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
