"""How notifications records look to REST clients."""

from rest_framework import serializers

from apps.notifications.models import (
    Notification,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class NotificationOutput(serializers.ModelSerializer):
    user_id = serializers.UUIDField(source="recipient_id", read_only=True)

    class Meta:
        model = Notification
        fields = (
            "id",
            "user_id",
            "kind",
            "order_id",
            "email",
            "subject",
            "body",
            "created_at",
            "sent_at",
        )


class WebhookEndpointOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields: tuple[str, ...] = (
            "id",
            "owner_id",
            "url",
            "event_types",
            "is_active",
            "created_at",
            "updated_at",
        )


class WebhookEndpointSecretOutput(WebhookEndpointOutput):
    """An endpoint with its signing secret: answered on create and on its own detail only."""

    class Meta(WebhookEndpointOutput.Meta):
        fields = (*WebhookEndpointOutput.Meta.fields, "secret")


class WebhookAttemptOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ("attempted_at", "response_status", "error", "duration_ms")


class WebhookDeliveryOutput(serializers.ModelSerializer):
    attempt_log = WebhookAttemptOutput(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "max_attempts",
            "next_attempt_at",
            "created_at",
            "attempt_log",
        )
