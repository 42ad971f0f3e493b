"""Catalog admin: catalog managers edit categories and products here; support only looks."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.catalog import selectors
from apps.catalog.models import Category, Product, ProductImport, ProductImportError
from apps.catalog.scopes import PRODUCT_READ, PRODUCT_WRITE
from common.auth.operators import ScopedModelAdmin, ScopedTabularInline
from common.job_admin import JobAdmin, JobDownload
from common.jobs import FINISHED_STATUSES
from common.operator_admin.columns import PeopleColumns, person_column


class CatalogAdmin(ScopedModelAdmin):
    read_scope = PRODUCT_READ
    write_scope = PRODUCT_WRITE


@admin.register(Category)
class CategoryAdmin(CatalogAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Product)
class ProductAdmin(CatalogAdmin):
    list_display = ("name", "sku", "category", "price", "currency", "is_active")
    list_filter = ("is_active", "category")
    list_select_related = ("category",)
    search_fields = ("name", "sku")
    show_full_result_count = False
    prepopulated_fields = {"slug": ("name",)}


class ProductImportErrorInline(ScopedTabularInline):
    model = ProductImportError
    read_scope = PRODUCT_READ
    fields = ("row", "field", "message")
    readonly_fields = fields
    extra = 0


@admin.register(ProductImport)
class ProductImportAdmin(PeopleColumns, JobAdmin[ProductImport]):
    """Imports are started through the API; here operators follow them and read what failed."""

    read_scope = PRODUCT_READ
    list_display = (
        "file_name",
        "status",
        "progress",
        "created_count",
        "updated_count",
        "requester",
        "created_at",
        "finished_at",
        "download",
    )
    list_filter = ("status",)
    exclude = ("source", "requested_by")
    readonly_fields = list_display
    requester = person_column("requested_by", description="requested by")
    inlines = (ProductImportErrorInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductImport]:
        return selectors.product_import_admin_list()

    def has_download(self, job: ProductImport) -> bool:
        return job.status in FINISHED_STATUSES and job.has_rejected_rows  # type: ignore[attr-defined]

    def job_download(self, job: ProductImport) -> JobDownload | None:
        report = selectors.product_import_rejected_rows_csv(product_import=job)
        if report is None:
            return None
        return JobDownload(f"import-{job.id}-rejected-rows.csv", report)
