"""Catalog routes under `/catalog/api/v1/`."""

from django.urls import path

from apps.catalog.api import views

urlpatterns = [
    path("categories/", views.CategoryListApi.as_view(), name="category-list"),
    path(
        "categories/<uuid:category_id>/",
        views.CategoryDetailApi.as_view(),
        name="category-detail",
    ),
    path("products/", views.ProductListApi.as_view(), name="product-list"),
    path("products/<uuid:product_id>/", views.ProductDetailApi.as_view(), name="product-detail"),
    path("internal/prices/", views.InternalPriceListApi.as_view(), name="internal-price-list"),
    path("imports/", views.ProductImportListApi.as_view(), name="product-import-list"),
    path(
        "imports/<uuid:import_id>/",
        views.ProductImportDetailApi.as_view(),
        name="product-import-detail",
    ),
]
