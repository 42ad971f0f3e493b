"""Orders routes under `/orders/api/v1/`."""

from django.urls import path

from apps.orders.api import views

urlpatterns = [
    path("orders/", views.OrderListApi.as_view(), name="order-list"),
    path("orders/exports/", views.OrderExportListApi.as_view(), name="order-export-list"),
    path(
        "orders/exports/<uuid:export_id>/",
        views.OrderExportDetailApi.as_view(),
        name="order-export-detail",
    ),
    path(
        "orders/exports/<uuid:export_id>/download/",
        views.OrderExportDownloadApi.as_view(),
        name="order-export-download",
    ),
    path("orders/<uuid:order_id>/", views.OrderDetailApi.as_view(), name="order-detail"),
    path("orders/<uuid:order_id>/cancel/", views.OrderCancelApi.as_view(), name="order-cancel"),
    path("orders/<uuid:order_id>/refund/", views.OrderRefundApi.as_view(), name="order-refund"),
]
