"""How catalog records look to REST clients."""

from rest_framework import serializers

from apps.catalog.models import Category, Product


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
