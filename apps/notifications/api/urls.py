"""Notifications routes under `/notifications/api/v1/`."""

from django.urls import path

from apps.notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationListApi.as_view(), name="notification-list"),
    path("webhooks/", views.WebhookListApi.as_view(), name="webhook-list"),
    path("webhooks/<uuid:webhook_id>/", views.WebhookDetailApi.as_view(), name="webhook-detail"),
    path(
        "webhooks/<uuid:webhook_id>/deliveries/",
        views.WebhookDeliveryListApi.as_view(),
        name="webhook-delivery-list",
    ),
    path(
        "webhooks/<uuid:webhook_id>/deliveries/<uuid:delivery_id>/resend/",
        views.WebhookDeliveryResendApi.as_view(),
        name="webhook-delivery-resend",
    ),
    path("webhooks/<uuid:webhook_id>/ping/", views.WebhookPingApi.as_view(), name="webhook-ping"),
]
