"""The ownership matrix of catalog: every default role and anonymous callers on every route that
names a category, product, stock or import, or lists them. The catalog is everyone's to read and
catalog managers' to write; an import is seen by every holder of `catalog.import.run`, whoever
started it."""

from apps.accounts.roles import DEFAULT_ROLES
from apps.catalog.models import ProductImport
from common.jobs import JobStatus
from common.testing.ownership import Access, Listing, roles_of
from tests.catalog.factories import CategoryFactory, ProductFactory

SERVICE = "catalog"
API = f"{SERVICE}/api/v1/"
EVERYONE = frozenset(role.name for role in roles_of(DEFAULT_ROLES))
CATALOG_WRITERS = frozenset({"catalog_manager", "admin"})
CATEGORY_SLUG = "ownership"


def category(owner: str):
    return CategoryFactory()


def product(owner: str):
    return ProductFactory(category=CategoryFactory(slug=CATEGORY_SLUG))


def product_import(owner: str) -> ProductImport:
    return ProductImport.objects.create(
        requested_by=owner, source="", total_rows=0, status=JobStatus.SUCCEEDED
    )


def writes(route: str, record, body: dict, full_body: dict) -> tuple[Access, ...]:
    return (
        Access(route, "get", record, allowed=EVERYONE),
        Access(route, "put", record, allowed=CATALOG_WRITERS, body=full_body),
        Access(route, "patch", record, allowed=CATALOG_WRITERS, body=body),
        Access(route, "delete", record, allowed=CATALOG_WRITERS),
    )


ACCESSES = (
    *writes(
        f"{API}categories/<uuid:category_id>/",
        category,
        body={"description": "Changed"},
        full_body={"name": "Renamed"},
    ),
    *writes(
        f"{API}products/<uuid:product_id>/",
        product,
        body={"description": "Changed"},
        full_body={
            "sku": "SKU-RENAMED",
            "name": "Renamed",
            "price": "1.00",
            "category": CATEGORY_SLUG,
        },
    ),
    Access(f"{API}stock/<uuid:product_id>/", "get", product, allowed=EVERYONE),
    Access(
        f"{API}stock/<uuid:product_id>/adjust/",
        "post",
        product,
        allowed=CATALOG_WRITERS,
        body={"delta": 1, "reason": "found one"},
    ),
    Access(f"{API}imports/<uuid:import_id>/", "get", product_import, allowed=CATALOG_WRITERS),
)
LISTINGS = (
    Listing(f"{API}categories/", category, everyone=EVERYONE),
    Listing(f"{API}products/", product, everyone=EVERYONE),
    Listing(f"{API}imports/", product_import, everyone=CATALOG_WRITERS),
)
