"""How stock looks to REST clients."""

from rest_framework import serializers

from apps.inventory.models import Stock


class StockOutput(serializers.ModelSerializer):
    product_id = serializers.UUIDField(read_only=True)
    available = serializers.IntegerField(read_only=True)

    class Meta:
        model = Stock
        fields = ("product_id", "on_hand", "reserved", "available")
