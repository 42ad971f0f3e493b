"""Catalog commands: every change to categories and products goes through here."""

from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from apps.catalog.models import Category, Product
from apps.inventory.models import Stock
from common.api.errors import ApplicationError

ALREADY_TAKEN = "Some values are already taken."
CATEGORY_NOT_EMPTY = "The category still holds products; move or archive them first."


@transaction.atomic
def category_upsert(*, slug: str, name: str, description: str = "") -> Category:
    category, _ = Category.objects.update_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )
    return category


@transaction.atomic
def product_upsert(
    *,
    sku: str,
    name: str,
    slug: str,
    price: Decimal,
    currency: str,
    category: Category,
    description: str = "",
    initial_stock: int = 0,
) -> Product:
    """Creates or updates the product with `sku`; stock is set only when the product is new."""
    product, _ = Product.objects.update_or_create(
        sku=sku,
        defaults={
            "name": name,
            "slug": slug,
            "price": price,
            "currency": currency,
            "category": category,
            "description": description,
        },
    )
    Stock.objects.get_or_create(product=product, defaults={"on_hand": initial_stock})
    return product


def taken_fields(model, *, exclude_id=None, **values) -> dict[str, list[str]]:
    """The unique fields among `values` that another row already holds."""
    others = model.objects.exclude(id=exclude_id) if exclude_id else model.objects.all()
    return {
        field: [f"Another {model._meta.verbose_name} already has this {field}."]
        for field, value in values.items()
        if value is not None and others.filter(**{field: value}).exists()
    }


def ensure_unique(model, *, exclude_id=None, **values) -> None:
    errors = taken_fields(model, exclude_id=exclude_id, **values)
    if errors:
        raise ApplicationError(ALREADY_TAKEN, status=409, code="conflict", errors=errors)


@transaction.atomic
def product_create(
    *,
    sku: str,
    name: str,
    price: Decimal,
    category: Category,
    currency: str = "EUR",
    slug: str = "",
    description: str = "",
    is_active: bool = True,
    initial_stock: int = 0,
) -> Product:
    slug = slug or slugify(name)
    ensure_unique(Product, sku=sku, slug=slug)
    product = Product.objects.create(
        sku=sku,
        name=name,
        slug=slug,
        price=price,
        currency=currency,
        category=category,
        description=description,
        is_active=is_active,
    )
    Stock.objects.create(product=product, on_hand=initial_stock)
    return product


@transaction.atomic
def product_update(*, product: Product, **changes) -> Product:
    ensure_unique(Product, exclude_id=product.id, sku=changes.get("sku"), slug=changes.get("slug"))
    for field, value in changes.items():
        setattr(product, field, value)
    product.save()
    return product


@transaction.atomic
def product_archive(*, product: Product) -> None:
    """Products are archived, not deleted: orders placed for them keep pointing at a real row."""
    product.is_active = False
    product.save(update_fields=["is_active", "updated_at"])


@transaction.atomic
def category_create(*, name: str, slug: str = "", description: str = "") -> Category:
    slug = slug or slugify(name)
    ensure_unique(Category, slug=slug)
    return Category.objects.create(name=name, slug=slug, description=description)


@transaction.atomic
def category_update(*, category: Category, **changes) -> Category:
    ensure_unique(Category, exclude_id=category.id, slug=changes.get("slug"))
    for field, value in changes.items():
        setattr(category, field, value)
    category.save()
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    if category.products.exists():
        raise ApplicationError(CATEGORY_NOT_EMPTY, status=409, code="category_not_empty")
    category.delete()
