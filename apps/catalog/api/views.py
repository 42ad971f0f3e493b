"""Catalog endpoints: public reads of categories and products."""

from rest_framework import generics

from apps.catalog.api.filters import ProductFilter
from apps.catalog.api.serializers import CategoryOutput, ProductOutput
from apps.catalog.selectors import category_list, product_list


class ProductListApi(generics.ListAPIView):
    serializer_class = ProductOutput
    filterset_class = ProductFilter

    def get_queryset(self):
        return product_list()


class ProductDetailApi(generics.RetrieveAPIView):
    serializer_class = ProductOutput
    lookup_url_kwarg = "product_id"

    def get_queryset(self):
        return product_list()


class CategoryListApi(generics.ListAPIView):
    serializer_class = CategoryOutput
    filter_backends = ()

    def get_queryset(self):
        return category_list()
