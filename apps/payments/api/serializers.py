"""How payments look to REST clients: money as strings, the provider's answer, the refund."""

from rest_framework import serializers

from apps.payments.models import Payment


class PaymentOutput(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = (
            "id",
            "order_id",
            "customer_id",
            "amount",
            "currency",
            "status",
            "payment_method",
            "provider",
            "attempts",
            "failure_reason",
            "refund_requested_at",
            "refunded_at",
            "refund_failure_reason",
            "created_at",
            "updated_at",
        )
