"""Catalog commands: every change to categories and products goes through here."""

import itertools
import uuid
from decimal import Decimal
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.catalog.imports import CsvRow, UnreadableCsv, csv_rows, row_values
from apps.catalog.models import Category, Product, ProductImport, ProductImportError
from apps.inventory.models import Stock
from apps.inventory.services import stock_adjust
from common.celery import enqueue_after_commit
from common.errors import ApplicationError
from common.jobs import FINISHED_STATUSES, JobStatus, job_failure_recorded, jobs_requeue_stale

ALREADY_TAKEN = "Some values are already taken."
CATEGORY_NOT_EMPTY = "The category still holds products; move or archive them first."
UNREADABLE_IMPORT = "The file cannot be imported."
UNKNOWN_CATEGORY = "No category has this slug."
IMPORT_STOCK_BELOW_RESERVED = "Stock cannot be set below what is reserved."
IMPORT_ROW_CONFLICT = "Another change to the same product got in first; import the row again."
PRODUCT_IMPORT_TASK = "catalog.product_import_run"
# A create that loses a race for a unique value tries again this many times in all.
CREATE_ATTEMPTS = 3
# Rows applied per transaction: progress shows after every chunk, and a crash undoes one at most.
IMPORT_CHUNK_SIZE = 200


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


# The catalog rows whose unique fields are checked before a write.
CatalogRow = TypeVar("CatalogRow", Product, Category)


def ensure_unique(
    model: type[CatalogRow], values: dict[str, object], *, exclude_id: uuid.UUID | None = None
) -> None:
    """Refuses with a 409 naming each field of `values` whose value another row already holds."""
    others = model.objects.exclude(id=exclude_id) if exclude_id else model.objects.all()
    taken = {
        field: [f"Another {model._meta.verbose_name} already has this {field}."]
        for field, value in values.items()
        if others.filter(**{field: value}).exists()
    }
    if taken:
        raise ApplicationError(ALREADY_TAKEN, status=409, code="conflict", errors=taken)


def saved_with_changes(
    instance: CatalogRow, *, changes: dict[str, object], unique: tuple[str, ...]
) -> CatalogRow:
    """`instance` with `changes` saved, unless another row holds a new value of a `unique` field."""
    new_values = {field: changes[field] for field in unique if field in changes}
    ensure_unique(type(instance), new_values, exclude_id=instance.id)
    for field, value in changes.items():
        setattr(instance, field, value)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # Another write took a value between the check and the save; the check sees it now.
        ensure_unique(type(instance), new_values, exclude_id=instance.id)
        raise
    return instance


def unused_slug(model: type[CatalogRow], *, name: str, row_id: uuid.UUID) -> str:
    """`name` as a slug no `model` row holds yet: `green-tea`, else `green-tea-2`, `green-tea-3`…
    (cut short to fit). A name that makes no slug (only emoji or punctuation) gives the model's
    name and the start of the row's id instead: `product-1a2b3c4d`."""
    base = slugify(name) or f"{model._meta.model_name}-{row_id.hex[:8]}"
    max_length = model._meta.get_field("slug").max_length
    assert max_length is not None  # the models give their slugs one
    numbered = (
        base[: max_length - len(suffix)] + suffix
        for suffix in (f"-{number}" for number in itertools.count(2))
    )
    # Every candidate up to a 9-digit number starts with this much of the name: one query.
    taken = set(
        model.objects.filter(slug__startswith=base[: max_length - 10]).values_list(
            "slug", flat=True
        )
    )
    return next(slug for slug in itertools.chain([base], numbered) if slug not in taken)


def created_with_slug(
    model: type[CatalogRow], *, name: str, slug: str, unique: dict[str, object], **fields: object
) -> CatalogRow:
    """A new `model` row named `name`. Without a `slug` it gets its name's, stepping aside from
    taken ones, even one a concurrent create took between the check and the insert; a `slug`
    given, or a `unique` value, that another row holds is a 409 naming it."""
    row_id = uuid.uuid4()
    attempt = 1
    while True:
        chosen = slug or unused_slug(model, name=name, row_id=row_id)
        ensure_unique(model, {"slug": chosen, **unique})
        try:
            with transaction.atomic():
                return model.objects.create(id=row_id, name=name, slug=chosen, **unique, **fields)
        except IntegrityError:
            # The row that won the race is visible now: the next check names it or steps aside.
            if attempt == CREATE_ATTEMPTS:
                raise
            attempt += 1


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
    product = created_with_slug(
        Product,
        name=name,
        slug=slug,
        unique={"sku": sku},
        price=price,
        currency=currency,
        category=category,
        description=description,
        is_active=is_active,
    )
    Stock.objects.create(product=product, on_hand=initial_stock)
    return product


@transaction.atomic
def product_update(*, product: Product, **changes: object) -> Product:
    return saved_with_changes(product, changes=changes, unique=("sku", "slug"))


@transaction.atomic
def product_archive(*, product: Product) -> None:
    """Products are archived, not deleted: orders placed for them keep pointing at a real row."""
    product.is_active = False
    product.save(update_fields=["is_active", "updated_at"])


@transaction.atomic
def category_create(*, name: str, slug: str = "", description: str = "") -> Category:
    return created_with_slug(Category, name=name, slug=slug, unique={}, description=description)


@transaction.atomic
def category_update(*, category: Category, **changes: object) -> Category:
    return saved_with_changes(category, changes=changes, unique=("slug",))


@transaction.atomic
def category_delete(*, category: Category) -> None:
    if category.products.exists():
        raise ApplicationError(CATEGORY_NOT_EMPTY, status=409, code="category_not_empty")
    category.delete()


@transaction.atomic
def product_import_start(*, source: str, file_name: str, requested_by: str) -> ProductImport:
    """Queues an import of `source` once its header and rows read as CSV; an unreadable file is
    a 400 naming `file`, and no job."""
    try:
        rows = csv_rows(source)
    except UnreadableCsv as error:
        raise ApplicationError(
            UNREADABLE_IMPORT, code="invalid_csv", errors={"file": [str(error)]}
        ) from None
    product_import = ProductImport.objects.create(
        source=source, file_name=file_name, total_rows=len(rows), requested_by=requested_by
    )
    enqueue_after_commit(PRODUCT_IMPORT_TASK, str(product_import.id))
    return product_import


def product_import_run(*, import_id: uuid.UUID | str) -> ProductImport:
    """Applies the rows left to do, a chunk per transaction together with the job's progress,
    so a second run of the same job (a redelivered task) never applies a row twice. An error
    other than a refused row ends the job FAILED with it."""
    with job_failure_recorded(model=ProductImport, job_id=import_id):
        rows = csv_rows(ProductImport.objects.values_list("source", flat=True).get(id=import_id))
        while True:
            with transaction.atomic():
                product_import = ProductImport.objects.select_for_update().get(id=import_id)
                if product_import.status in FINISHED_STATUSES:
                    return product_import
                chunk = rows[product_import.processed_rows :][:IMPORT_CHUNK_SIZE]
                if not chunk:
                    product_import.status = JobStatus.SUCCEEDED
                    product_import.finished_at = timezone.now()
                    product_import.save(update_fields=["status", "finished_at"])
                    return product_import
                _import_chunk(product_import, chunk)


def product_imports_requeue() -> int:
    """Sends again the imports whose task was lost; see common.jobs.jobs_requeue_stale."""
    return jobs_requeue_stale(model=ProductImport, task_name=PRODUCT_IMPORT_TASK)


def _import_chunk(product_import: ProductImport, chunk: list[CsvRow]) -> None:
    categories = {category.slug: category for category in Category.objects.all()}
    for row in chunk:
        created, errors = _import_row_or_errors(row, categories, product_import)
        if errors:
            ProductImportError.objects.bulk_create(
                ProductImportError(
                    product_import=product_import, row=row.number, field=field, message=message
                )
                for field, messages in errors.items()
                for message in messages
            )
        elif created:
            product_import.created_count += 1
        else:
            product_import.updated_count += 1
    product_import.processed_rows += len(chunk)
    product_import.status = JobStatus.RUNNING
    product_import.save()


def _import_row_or_errors(
    row: CsvRow, categories: dict[str, Category], product_import: ProductImport
) -> tuple[bool, dict[str, list[str]]]:
    """Applies one row in its own savepoint: a refused row leaves nothing behind."""
    values, errors = row_values(row)
    if errors:
        return False, errors
    try:
        with transaction.atomic():
            return _import_row(values, categories, product_import), {}
    except ApplicationError as refusal:
        # A refusal that names no field is still the row's error, not an update.
        return False, refusal.errors or {"non_field_errors": [refusal.message]}
    except IntegrityError:
        return False, {"non_field_errors": [IMPORT_ROW_CONFLICT]}


def _import_row(
    values: dict, categories: dict[str, Category], product_import: ProductImport
) -> bool:
    """Upserts one validated row by sku; True when it created the product."""
    category = categories.get(values["category"])
    if category is None:
        raise ApplicationError(UNKNOWN_CATEGORY, errors={"category": [UNKNOWN_CATEGORY]})
    product = Product.objects.select_for_update().filter(sku=values["sku"]).first()
    created = product is None
    if product is None:
        product = Product(sku=values["sku"])
        product.slug = values.get("slug") or unused_slug(
            Product, name=values["name"], row_id=product.id
        )
    elif "slug" in values:
        product.slug = values["slug"]
    ensure_unique(Product, {"slug": product.slug}, exclude_id=None if created else product.id)
    product.name = values["name"]
    product.price = values["price"]
    product.currency = values["currency"]
    product.category = category
    for optional in ("description", "is_active"):
        if optional in values:
            setattr(product, optional, values[optional])
    product.save()
    if "stock" in values:
        _import_stock(product, on_hand=values["stock"], product_import=product_import)
    elif created:
        Stock.objects.create(product=product)
    return created


def _import_stock(product: Product, *, on_hand: int, product_import: ProductImport) -> None:
    """Sets the units on hand, never below what is reserved, as an adjustment like any other."""
    stock, _ = Stock.objects.select_for_update().get_or_create(product=product)
    if on_hand < stock.reserved:
        raise ApplicationError(
            IMPORT_STOCK_BELOW_RESERVED,
            errors={"stock": [f"{stock.reserved} units are reserved; on hand cannot be less."]},
        )
    if on_hand != stock.on_hand:
        stock_adjust(
            product=product,
            delta=on_hand - stock.on_hand,
            reason=f"Import {product_import.file_name or product_import.id}",
            actor=product_import.requested_by,
        )
