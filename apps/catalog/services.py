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


def ensure_unique(model, *, exclude_id=None, **values) -> None:
    """Refuses with a 409 naming each field whose value another row already holds."""
    others = model.objects.exclude(id=exclude_id) if exclude_id else model.objects.all()
    taken = {
        field: [f"Another {model._meta.verbose_name} already has this {field}."]
        for field, value in values.items()
        if others.filter(**{field: value}).exists()
    }
    if taken:
        raise ApplicationError(ALREADY_TAKEN, status=409, code="conflict", errors=taken)


def saved_with_changes(instance, *, changes: dict, unique: tuple[str, ...]):
    """`instance` with `changes` saved, unless another row holds a new value of a `unique` field."""
    new_values = {field: changes[field] for field in unique if field in changes}
    ensure_unique(type(instance), exclude_id=instance.id, **new_values)
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.save()
    return instance


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
    return saved_with_changes(product, changes=changes, unique=("sku", "slug"))


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
    return saved_with_changes(category, changes=changes, unique=("slug",))


@transaction.atomic
def category_delete(*, category: Category) -> None:
    if category.products.exists():
        raise ApplicationError(CATEGORY_NOT_EMPTY, status=409, code="category_not_empty")
    category.delete()
