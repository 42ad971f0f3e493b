"""Catalog endpoints: public reads; writes, imports and internal prices need their scopes."""

import uuid

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from apps.catalog import services
from apps.catalog.api.filters import ProductFilter
from apps.catalog.api.serializers import (
    CategoryOutput,
    CategoryReference,
    InternalPriceListOutput,
    ProductImportOutput,
    ProductOutput,
    currency_field,
)
from apps.catalog.apps import READ_CACHE_SCOPE
from apps.catalog.models import Category, Product
from apps.catalog.scopes import IMPORT_RUN, PRICE_READ_INTERNAL, PRODUCT_WRITE
from apps.catalog.selectors import (
    category_list,
    product_import_list,
    product_list,
    product_price_list,
)
from apps.inventory.models import MAXIMUM_STOCK
from common.api.caching import CachedReadMixin
from common.api.views import EditableDetailApi, ListCreateApi, ServiceApi, validated
from common.errors import ApplicationError

# One order's worth of lines and then some; the query string stays far below URL limits.
MAXIMUM_PRICE_IDS = 100
# The whole upload, file and form: refused from its Content-Length before any of it is read.
MAXIMUM_IMPORT_BYTES = 10 * 2**20
IMPORT_TOO_LARGE = f"The upload is larger than {MAXIMUM_IMPORT_BYTES // 2**20} MiB."


class ProductInput(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    currency = currency_field(required=False)
    category = CategoryReference()
    is_active = serializers.BooleanField(required=False)


class ProductCreateInput(ProductInput):
    initial_stock = serializers.IntegerField(min_value=0, max_value=MAXIMUM_STOCK, required=False)


class CategoryInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class ProductListApi(CachedReadMixin, ListCreateApi):
    """Active products: anyone lists them; a catalog manager adds one."""

    read_cache_scope = READ_CACHE_SCOPE
    write_scope = PRODUCT_WRITE
    conflicts = ("post",)  # the sku or slug is taken
    input_serializer = ProductCreateInput
    serializer_class = ProductOutput
    filterset_class = ProductFilter

    def get_queryset(self):
        return product_list()

    def add(self, data: dict) -> Product:
        return services.product_create(**data)


class ProductDetailApi(CachedReadMixin, EditableDetailApi):
    """A product: anyone reads it; a catalog manager changes it or archives it (DELETE)."""

    read_cache_scope = READ_CACHE_SCOPE
    write_scope = PRODUCT_WRITE
    conflicts = ("put", "patch")  # the sku or slug is taken
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


class CategoryListApi(CachedReadMixin, ListCreateApi):
    """Categories: anyone lists them; a catalog manager adds one."""

    read_cache_scope = READ_CACHE_SCOPE
    write_scope = PRODUCT_WRITE
    conflicts = ("post",)  # the slug is taken
    input_serializer = CategoryInput
    serializer_class = CategoryOutput
    filter_backends = ()

    def get_queryset(self):
        return category_list()

    def add(self, data: dict) -> Category:
        return services.category_create(**data)


class CategoryDetailApi(CachedReadMixin, EditableDetailApi):
    """A category: anyone reads it; a catalog manager changes it or deletes it once empty."""

    read_cache_scope = READ_CACHE_SCOPE
    write_scope = PRODUCT_WRITE
    conflicts = ("put", "patch", "delete")  # the slug is taken; products still use it
    input_serializer = CategoryInput
    serializer_class = CategoryOutput
    lookup_url_kwarg = "category_id"

    def get_queryset(self):
        return category_list()

    def save(self, instance, changes):
        return services.category_update(category=instance, **changes)

    def remove(self, instance):
        services.category_delete(category=instance)


class InternalPriceListApi(ServiceApi):
    """Prices for the orders service to freeze on an order's lines; unknown ids are left out."""

    required_scopes = {"get": PRICE_READ_INTERNAL}

    class QuerySerializer(serializers.Serializer):
        ids = serializers.CharField(
            help_text=f"Up to {MAXIMUM_PRICE_IDS} product ids, separated by commas."
        )

        def validate_ids(self, value: str) -> list[uuid.UUID]:
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not parts or len(parts) > MAXIMUM_PRICE_IDS:
                raise serializers.ValidationError(
                    f"Give between 1 and {MAXIMUM_PRICE_IDS} product ids."
                )
            try:
                return [uuid.UUID(part) for part in parts]
            except ValueError:
                raise serializers.ValidationError("Every id must be a UUID.") from None

    @extend_schema(parameters=[QuerySerializer], responses=InternalPriceListOutput)
    def get(self, request):
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        products = product_price_list(ids=query.validated_data["ids"])
        return Response(InternalPriceListOutput({"results": products}).data)


class ProductImportListApi(generics.ListAPIView):
    """Import jobs, newest first; POST starts one: the CSV is checked at once, its rows are
    applied by a worker."""

    required_scopes = {"get": IMPORT_RUN, "post": IMPORT_RUN}
    serializer_class = ProductImportOutput
    filter_backends = ()
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return product_import_list()

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(
            help_text=(
                "A UTF-8 CSV whose first line names the columns: sku, name, price, currency, "
                "category (a slug), and optionally slug, description, is_active, stock. Rows "
                "are upserted by sku; a blank optional cell keeps the product's value; stock "
                "sets the units on hand."
            )
        )

        def validate_file(self, upload) -> str:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise serializers.ValidationError("The file is not UTF-8 text.") from None
            if (position := text.find("\x00")) >= 0:
                line = text.count("\n", 0, position) + 1
                raise serializers.ValidationError(f"Line {line} holds a NUL character.")
            return text

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={202: ProductImportOutput},
    )
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAXIMUM_IMPORT_BYTES:
            raise ApplicationError(
                IMPORT_TOO_LARGE,
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                code="request_too_large",
                errors={"file": [IMPORT_TOO_LARGE]},
            )
        source = validated(self.InputSerializer, request)["file"]
        product_import = services.product_import_start(
            source=source, file_name=request.data["file"].name, requested_by=request.user.id
        )
        location = reverse("product-import-detail", kwargs={"import_id": product_import.id})
        return Response(
            ProductImportOutput(product_import).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(location)},
        )


class ProductImportDetailApi(ServiceApi):
    """An import's progress, counts and the rows it skipped, with why."""

    required_scopes = {"get": IMPORT_RUN}

    @extend_schema(responses=ProductImportOutput)
    def get(self, request, import_id):
        product_import = generics.get_object_or_404(product_import_list(), id=import_id)
        return Response(ProductImportOutput(product_import).data)
