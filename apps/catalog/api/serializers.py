"""How catalog records look to REST clients."""

from rest_framework import serializers

from apps.catalog.models import Category, Product, ProductImport, ProductImportError


class CategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ("id", "name", "slug", "description")


class ProductOutput(serializers.ModelSerializer):
    category = CategoryOutput(read_only=True)

    class Meta:
        model = Product
        fields = (
            "id",
            "sku",
            "name",
            "slug",
            "description",
            "price",
            "currency",
            "category",
            "created_at",
            "updated_at",
        )


class InternalPriceOutput(serializers.ModelSerializer):
    product_id = serializers.UUIDField(source="id", read_only=True)

    class Meta:
        model = Product
        fields = ("product_id", "sku", "name", "price", "currency", "is_active")


class InternalPriceListOutput(serializers.Serializer):
    results = InternalPriceOutput(many=True)


class ProductImportErrorOutput(serializers.ModelSerializer):
    class Meta:
        model = ProductImportError
        fields = ("row", "field", "message")


class ProductImportOutput(serializers.ModelSerializer):
    created = serializers.IntegerField(source="created_count", read_only=True)
    updated = serializers.IntegerField(source="updated_count", read_only=True)
    # DRF's metaclass takes declared fields off the class, so this does not replace the
    # serializer's `errors` property; the stubs cannot know that.
    errors = ProductImportErrorOutput(many=True, read_only=True)  # type: ignore[assignment]

    class Meta:
        model = ProductImport
        fields = (
            "id",
            "status",
            "file_name",
            "total_rows",
            "processed_rows",
            "created",
            "updated",
            "errors",
            "created_at",
            "finished_at",
        )
