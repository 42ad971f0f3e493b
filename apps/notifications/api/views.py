"""Notifications endpoints: a person's e-mails, and the webhook endpoints they manage."""

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.notifications import services
from apps.notifications.api.serializers import (
    NotificationOutput,
    WebhookDeliveryOutput,
    WebhookEndpointOutput,
    WebhookEndpointSecretOutput,
)
from apps.notifications.models import (
    WEBHOOK_EVENT_TYPES,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
)
from apps.notifications.scopes import (
    NOTIFICATION_READ,
    NOTIFICATION_READ_ANY,
    WEBHOOK_MANAGE,
    WEBHOOK_MANAGE_ANY,
)
from apps.notifications.selectors import (
    notification_list,
    webhook_delivery_list,
    webhook_endpoint_list,
)
from common.api.views import ServiceApi, validated
from common.auth.users import caller

WEBHOOKS_DESCRIPTION = """\
Events about the caller's own orders (`order.created`, `order.confirmed`, `order.cancelled`,
`order.refunded`) are POSTed to each active endpoint subscribed to their type, signed as the
Standard Webhooks specification says (https://www.standardwebhooks.com/):

- body: `{"type": "order.confirmed", "timestamp": "<ISO 8601>", "data": {...the event's data}}`;
- `webhook-id`: the delivery's id, the same on every retry of it, to deduplicate on;
- `webhook-timestamp`: Unix seconds of the attempt;
- `webhook-signature`: `v1,` then the base64 HMAC-SHA256 of
  `{webhook-id}.{webhook-timestamp}.{body}` keyed by the base64-decoded part of the endpoint's
  `whsec_` secret.

A 2xx answer within 5 seconds delivers; anything else (redirects are not followed) is retried with
exponential backoff and jitter, 8 attempts by default. The URL must be http(s), carry no user name
or password, and resolve only to public addresses, checked when it is saved and again, pinned to
the checked address, on every attempt. The secret appears in the create and detail answers, never
in lists.
"""


class NotificationListApi(generics.ListAPIView):
    """The e-mails sent to the caller (everyone's with `notifications.notification.read_any`)."""

    required_scopes = {"get": (NOTIFICATION_READ, NOTIFICATION_READ_ANY)}
    serializer_class = NotificationOutput
    filterset_fields = ("kind", "order_id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, with no caller
            return Notification.objects.none()
        return notification_list(viewer=caller(self.request))


class WebhookInput(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WEBHOOK_EVENT_TYPES), min_length=1
    )
    is_active = serializers.BooleanField(required=False)


# The caller's own endpoints, or anyone's with `notifications.webhook.manage_any`.
WEBHOOK_ACCESS = (WEBHOOK_MANAGE, WEBHOOK_MANAGE_ANY)


class WebhookAccess(APIView):
    def endpoint(self, webhook_id: uuid.UUID) -> WebhookEndpoint:
        """The caller's endpoint; another customer's is a 404."""
        return generics.get_object_or_404(
            webhook_endpoint_list(viewer=caller(self.request)), id=webhook_id
        )


@extend_schema(description=WEBHOOKS_DESCRIPTION)
class WebhookListApi(WebhookAccess, generics.ListAPIView):
    required_scopes = dict.fromkeys(("get", "post"), WEBHOOK_ACCESS)
    serializer_class = WebhookEndpointOutput
    filter_backends = ()

    def get_queryset(self):
        return webhook_endpoint_list(viewer=caller(self.request))

    @extend_schema(request=WebhookInput, responses={201: WebhookEndpointSecretOutput})
    def post(self, request):
        data = validated(WebhookInput, request)
        endpoint = services.webhook_endpoint_create(owner_id=request.user.id, **data)
        return Response(WebhookEndpointSecretOutput(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetailApi(WebhookAccess, ServiceApi):
    """One of the caller's webhook endpoints, with its signing secret; PATCH changes it (the URL
    is checked again), DELETE removes it with its delivery log."""

    required_scopes = dict.fromkeys(("get", "patch", "delete"), WEBHOOK_ACCESS)

    @extend_schema(responses=WebhookEndpointSecretOutput)
    def get(self, request, webhook_id):
        return Response(WebhookEndpointSecretOutput(self.endpoint(webhook_id)).data)

    @extend_schema(request=WebhookInput, responses=WebhookEndpointSecretOutput)
    def patch(self, request, webhook_id):
        data = self.parse(WebhookInput, request, partial=True)
        endpoint = services.webhook_endpoint_update(endpoint=self.endpoint(webhook_id), **data)
        return Response(WebhookEndpointSecretOutput(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request, webhook_id):
        services.webhook_endpoint_delete(endpoint=self.endpoint(webhook_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListApi(WebhookAccess, generics.ListAPIView):
    """The endpoint's deliveries, newest first, each with the log of its attempts."""

    required_scopes = {"get": WEBHOOK_ACCESS}
    serializer_class = WebhookDeliveryOutput
    filterset_fields = ("status", "event_type")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, with no endpoint
            return WebhookDelivery.objects.none()
        return webhook_delivery_list(endpoint=self.endpoint(self.kwargs["webhook_id"]))


class WebhookDeliveryResendApi(WebhookAccess, ServiceApi):
    """One of the endpoint's deliveries that failed for good, sent again."""

    required_scopes = {"post": WEBHOOK_ACCESS}

    @extend_schema(
        request=None,
        responses={202: WebhookDeliveryOutput},
        description="Makes a `FAILED` delivery `PENDING` again, with as many attempts ahead of it "
        "as a new one, the first at once; the same `webhook-id` goes out, so a receiver that saw "
        "it deduplicates. 409 `delivery_not_failed` for a delivery still pending or delivered, "
        "409 `endpoint_inactive` while the endpoint is deactivated.",
    )
    def post(self, request, webhook_id, delivery_id):
        endpoint = self.endpoint(webhook_id)
        delivery = generics.get_object_or_404(
            webhook_delivery_list(endpoint=endpoint), id=delivery_id
        )
        resent = services.webhook_delivery_resend(delivery=delivery)
        return Response(WebhookDeliveryOutput(resent).data, status=status.HTTP_202_ACCEPTED)


class WebhookPingApi(WebhookAccess, ServiceApi):
    """A signed test event for one of the caller's endpoints."""

    required_scopes = {"post": WEBHOOK_ACCESS}

    @extend_schema(
        request=None,
        responses=WebhookDeliveryOutput,
        description="Sends a signed `webhook.ping` to the endpoint now, once, and answers the "
        "delivery with its attempt: `status` says whether the endpoint answered 2xx.",
    )
    def post(self, request, webhook_id):
        delivery = services.webhook_ping(endpoint=self.endpoint(webhook_id))
        return Response(WebhookDeliveryOutput(delivery).data)
