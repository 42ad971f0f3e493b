"""How catalog records look to REST clients."""

import uuid

from django.core.validators import slug_re
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog.models import (
    CURRENCIES,
    NOT_A_CURRENCY,
    Category,
    Product,
    ProductImport,
    ProductImportError,
)
from apps.catalog.selectors import category_list


def currency_field(**kwargs) -> serializers.ChoiceField:
    """A product's currency on writes; the schema lists every code it accepts."""
    return serializers.ChoiceField(
        choices=sorted(CURRENCIES),
        error_messages={"invalid_choice": NOT_A_CURRENCY},
        help_text="An ISO 4217 currency with two decimal places.",
        **kwargs,
    )


class CategoryOutput(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ("id", "name", "slug", "description")


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "uuid", "description": "The category's id."},
            {"type": "string", "description": "The category's slug."},
            {
                "type": "object",
                "description": "The category as product reads show it; only its id is read.",
                "properties": {"id": {"type": "string", "format": "uuid"}},
                "required": ["id"],
            },
        ]
    }
)
class CategoryReference(serializers.Field):
    """A product's category on writes: as reads show it (an object with its `id`), by id, or by
    slug, so a client can send back the product it read."""

    default_error_messages = {
        "invalid": "Give the category's id, its slug, or an object with its id.",
        "unknown": "No category has this id or slug.",
    }

    def to_internal_value(self, data) -> Category:
        if isinstance(data, dict):
            data = data.get("id")
        if not isinstance(data, str) or not data:
            self.fail("invalid")
        try:
            lookup: dict[str, object] = {"id": uuid.UUID(data)}
        except ValueError:
            if not slug_re.fullmatch(data):
                self.fail("unknown")
            lookup = {"slug": data}
        category = category_list().filter(**lookup).first()
        if category is None:
            self.fail("unknown")
        return category


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
    """`error` is why the job FAILED; `errors` are the rows it skipped."""

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
            "error",
            "file_name",
            "total_rows",
            "processed_rows",
            "created",
            "updated",
            "errors",
            "created_at",
            "finished_at",
        )
