"""Catalog endpoints: public reads; writes need `catalog.product.write`."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from apps.catalog import services
from apps.catalog.api.filters import ProductFilter
from apps.catalog.api.serializers import CategoryOutput, ProductOutput
from apps.catalog.models import Category
from apps.catalog.selectors import category_list, product_list
from common.api.views import EditableDetailApi, validated
from common.auth.permissions import PUBLIC

WRITE_SCOPE = "catalog.product.write"


class ProductInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    is_active = serializers.BooleanField(required=False)


class ProductCreateInput(ProductInput):
    initial_stock = serializers.IntegerField(min_value=0, required=False)


class CategoryInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class ProductListApi(generics.ListAPIView):
    required_scopes = {"get": PUBLIC, "post": WRITE_SCOPE}
    serializer_class = ProductOutput
    filterset_class = ProductFilter

    def get_queryset(self):
        return product_list()

    @extend_schema(request=ProductCreateInput, responses={201: ProductOutput})
    def post(self, request):
        product = services.product_create(**validated(ProductCreateInput, request))
        return Response(ProductOutput(product).data, status=status.HTTP_201_CREATED)


class ProductDetailApi(EditableDetailApi):
    """A product: anyone reads it; a catalog manager changes it or archives it (DELETE)."""

    write_scope = WRITE_SCOPE
    input_serializer = ProductInput
    serializer_class = ProductOutput
    lookup_url_kwarg = "product_id"

    def get_queryset(self):
        # Writers reach archived products too, so they can bring one back.
        return product_list(include_archived=self.request.method != "GET")

    def save(self, instance, changes):
        return services.product_update(product=instance, **changes)

    def remove(self, instance):
        services.product_archive(product=instance)


class CategoryListApi(generics.ListAPIView):
    required_scopes = {"get": PUBLIC, "post": WRITE_SCOPE}
    serializer_class = CategoryOutput
    filter_backends = ()

    def get_queryset(self):
        return category_list()

    @extend_schema(request=CategoryInput, responses={201: CategoryOutput})
    def post(self, request):
        category = services.category_create(**validated(CategoryInput, request))
        return Response(CategoryOutput(category).data, status=status.HTTP_201_CREATED)


class CategoryDetailApi(EditableDetailApi):
    """A category: anyone reads it; a catalog manager changes it or deletes it once empty."""

    write_scope = WRITE_SCOPE
    input_serializer = CategoryInput
    serializer_class = CategoryOutput
    lookup_url_kwarg = "category_id"

    def get_queryset(self):
        return category_list()

    def save(self, instance, changes):
        return services.category_update(category=instance, **changes)

    def remove(self, instance):
        services.category_delete(category=instance)
