"""Inventory routes under `/catalog/api/v1/`."""

from django.urls import path

from apps.inventory.api import views

urlpatterns = [
    path("stock/<uuid:product_id>/", views.StockDetailApi.as_view(), name="stock-detail"),
    path("stock/<uuid:product_id>/adjust/", views.StockAdjustApi.as_view(), name="stock-adjust"),
]
