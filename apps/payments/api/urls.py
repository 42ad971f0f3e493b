"""Payments routes under `/payments/api/v1/`."""

from django.urls import path

from apps.payments.api import views

urlpatterns = [
    path("payments/", views.PaymentListApi.as_view(), name="payment-list"),
    path("payments/<uuid:payment_id>/", views.PaymentDetailApi.as_view(), name="payment-detail"),
    path(
        "payments/<uuid:payment_id>/retry/", views.PaymentRetryApi.as_view(), name="payment-retry"
    ),
]
