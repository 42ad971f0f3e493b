"""Product CSV imports: checked at once (bad file, 400, no job), rows upserted by sku in chunks,
bad rows reported by row and field and skipped."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.catalog import services
from apps.catalog.api.views import MAXIMUM_IMPORT_BYTES
from apps.catalog.models import NOT_A_CURRENCY, Product, ProductImport
from apps.catalog.tasks import product_imports_requeue_task
from apps.inventory.models import Stock, StockAdjustment
from apps.inventory.services import stock_reserve
from common.testing.celery import broker_unreachable
from tests.catalog.factories import ProductFactory

pytestmark = pytest.mark.django_db

IMPORTS_URL = "/catalog/api/v1/imports/"
HEADER = "sku,name,slug,price,currency,category,description,is_active,stock"


@pytest.fixture
def upload(api_client, manager, django_capture_on_commit_callbacks):
    """`upload(text)` posts `text` as the CSV and lets the queued job run, as a worker would."""

    def post(text, *, name: str = "products.csv", headers=manager):
        content = text if isinstance(text, bytes) else text.encode()
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.post(
                IMPORTS_URL,
                {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
                format="multipart",
                **headers,
            )

    return post


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def test_an_import_creates_and_updates_products_and_reports_the_succeeded_job(
    api_client, upload, manager, coffee
):
    existing = ProductFactory(sku="KEN-AA", slug="kenya", category=coffee, price=Decimal("1.00"))
    Stock.objects.create(product=existing, on_hand=4)

    response = upload(
        csv_of(
            "KEN-AA,Kenya AA,,15.40,EUR,coffee,Bright and winey,,",
            "ETH-YI,Ethiopian Yirgacheffe,,14.50,EUR,coffee,,true,25",
            "SUM-MA,Sumatra Mandheling,sumatra,13.75,USD,coffee,,false,",
        )
    )

    assert response.status_code == 202
    job = ProductImport.objects.get()
    assert response["Location"] == f"http://testserver{IMPORTS_URL}{job.id}/"
    assert response.json()["status"] == "QUEUED"
    assert response.json()["total_rows"] == 3
    shown = api_client.get(response["Location"], **manager).json()
    assert shown == {
        "id": str(job.id),
        "status": "SUCCEEDED",
        "error": "",
        "file_name": "products.csv",
        "total_rows": 3,
        "processed_rows": 3,
        "created": 2,
        "updated": 1,
        "errors": [],
        "created_at": shown["created_at"],
        "finished_at": shown["finished_at"],
    }
    assert shown["finished_at"] is not None
    existing.refresh_from_db()
    assert (existing.name, existing.price, existing.slug) == ("Kenya AA", Decimal("15.40"), "kenya")
    assert existing.description == "Bright and winey"
    assert Stock.objects.get(product=existing).on_hand == 4
    ethiopian = Product.objects.get(sku="ETH-YI")
    assert (ethiopian.slug, ethiopian.is_active) == ("ethiopian-yirgacheffe", True)
    assert Stock.objects.get(product=ethiopian).on_hand == 25
    adjustment = StockAdjustment.objects.get()
    assert (adjustment.product, adjustment.delta, adjustment.on_hand_after) == (ethiopian, 25, 25)
    assert (adjustment.reason, adjustment.actor) == ("Import products.csv", job.requested_by)
    sumatra = Product.objects.get(sku="SUM-MA")
    assert (sumatra.slug, sumatra.currency, sumatra.is_active) == ("sumatra", "USD", False)
    assert Stock.objects.get(product=sumatra).on_hand == 0


def test_bad_rows_are_reported_by_row_and_field_and_the_good_ones_applied(
    api_client, upload, manager, coffee
):
    ProductFactory(sku="OTHER", slug="taken", category=coffee)
    held = ProductFactory(sku="HELD", slug="held", category=coffee)
    Stock.objects.create(product=held, on_hand=5)
    stock_reserve(order_id=uuid.uuid4(), lines=[{"product_id": str(held.id), "quantity": 3}])

    response = upload(
        csv_of(
            "GOOD-1,Good One,,1.00,EUR,coffee,,,",
            "BAD-1,Bad Price,,abc,EUR,coffee,,,",
            "BAD-2,Bad Category,,1.00,EUR,no-such,,,",
            "BAD-3,Bad Currency,,1.00,euro,coffee,,,",
            "",
            "BAD-4,Too Few Cells",
            "BAD-5,Taken Slug,taken,1.00,EUR,coffee,,,",
            "HELD,Held,,1.00,EUR,coffee,,,2",
            ",,,,,,,,1",
            "GOOD-2,Good Two,,2.00,EUR,coffee,,no,",
        )
    )

    job = api_client.get(response["Location"], **manager).json()
    assert (job["status"], job["total_rows"], job["processed_rows"]) == ("SUCCEEDED", 9, 9)
    assert (job["created"], job["updated"]) == (2, 0)
    assert [(error["row"], error["field"]) for error in job["errors"]] == [
        (3, "price"),
        (4, "category"),
        (5, "currency"),
        (7, "non_field_errors"),
        (8, "slug"),
        (9, "stock"),
        (10, "sku"),
        (10, "name"),
        (10, "price"),
        (10, "currency"),
        (10, "category"),
    ]
    assert all(error["message"] for error in job["errors"])
    assert set(Product.objects.filter(sku__startswith="GOOD").values_list("sku", flat=True)) == {
        "GOOD-1",
        "GOOD-2",
    }
    assert not Product.objects.filter(sku__startswith="BAD").exists()
    held.refresh_from_db()
    assert held.name != "Held"
    assert Stock.objects.get(product=held).on_hand == 5


def test_a_new_row_without_a_slug_whose_name_is_taken_gets_the_next_free_slug(
    api_client, upload, manager, coffee
):
    ProductFactory(sku="GT-1", slug="green-tea", category=coffee)

    response = upload(csv_of("GT-2,Green Tea,,3.00,EUR,coffee,,,"))

    job = api_client.get(response["Location"], **manager).json()
    assert (job["created"], job["errors"]) == (1, []), job
    assert Product.objects.get(sku="GT-2").slug == "green-tea-2"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"KEN-AA,Kenya AA,15.40,EUR,coffee\n", id="no header"),
        pytest.param(b"sku,name,price,currency\nKEN-AA,Kenya,1.00,EUR\n", id="missing column"),
        pytest.param(b"sku,name,price,currency,category,colour\n", id="unknown column"),
        pytest.param(b"sku,name,price,currency,category\n", id="header only"),
        pytest.param(b'sku,name,price,currency,category\n"a"b,c,1,EUR,x\n', id="bad quoting"),
        pytest.param("sku,name\n".encode("utf-16"), id="not utf-8"),
        pytest.param(b"sku,name,name,price,currency,category\n", id="repeated column"),
    ],
)
def test_an_unreadable_file_is_a_400_naming_file_and_no_job(upload, coffee, content):
    response = upload(content)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["file"]
    assert not ProductImport.objects.exists()


def test_an_upload_over_the_size_limit_is_a_413_naming_file_and_no_job(upload, coffee):
    response = upload(csv_of("K,Kenya,,1.00,EUR,coffee,,,").encode() + b" " * MAXIMUM_IMPORT_BYTES)

    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"file": ["The upload is larger than 10 MiB."]}
    assert not ProductImport.objects.exists()


def test_a_nul_character_in_the_file_is_a_400_naming_file_and_its_line_and_no_job(upload, coffee):
    response = upload(
        csv_of("KEN-AA,Kenya AA,,1.00,EUR,coffee,,,", "ETH,Ethi\x00opia,,1.00,EUR,coffee,,,")
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"file": ["Line 3 holds a NUL character."]}
    assert not ProductImport.objects.exists()


def test_a_json_body_is_a_415(api_client, manager):
    response = api_client.post(IMPORTS_URL, {"file": "sku,name"}, format="json", **manager)

    assert response.status_code == 415, response.content
    assert response.json()["type"] == "urn:mercato:problem:unsupported_media_type"


@pytest.mark.parametrize("name", ["🍵", "!!!"])
def test_a_new_row_whose_name_makes_no_slug_gets_one_from_the_products_id(
    api_client, upload, manager, coffee, name
):
    response = upload(csv_of(f"TEA-1,{name},,3.00,EUR,coffee,,,"))

    job = api_client.get(response["Location"], **manager).json()
    assert (job["created"], job["errors"]) == (1, []), job
    product = Product.objects.get(sku="TEA-1")
    assert (product.name, product.slug) == (name, f"product-{product.id.hex[:8]}")


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        pytest.param(
            "XYZ-1,Tea,,1.00,XYZ,coffee,,,", "currency", NOT_A_CURRENCY, id="currency XYZ"
        ),
        pytest.param(
            "LONG-1," + "é" * 10_000 + ",,1.00,EUR,coffee,,,",
            "name",
            "Ensure this field has no more than 200 characters.",
            id="a 10,000-character name",
        ),
        pytest.param(
            "BIG-1,Tea,,1.00,EUR,coffee,,,1000000000000",
            "stock",
            "Ensure this value is less than or equal to 1000000000.",
            id="stock past the maximum",
        ),
    ],
)
def test_a_row_with_a_value_the_api_refuses_is_skipped_naming_its_field(
    api_client, upload, manager, coffee, row, field, message
):
    response = upload(csv_of(row))

    job = api_client.get(response["Location"], **manager).json()
    assert job["errors"] == [{"row": 2, "field": field, "message": message}], job
    assert not Product.objects.exists()


def test_a_request_without_a_file_is_a_400_naming_file(api_client, manager):
    response = api_client.post(IMPORTS_URL, {}, format="multipart", **manager)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_a_byte_order_mark_and_windows_line_ends_are_read(upload, coffee):
    upload("\ufeffsku,name,price,currency,category\r\nKEN-AA,Kenya,1.00,EUR,coffee\r\n")

    assert Product.objects.get().sku == "KEN-AA"


def test_imports_need_the_import_scope(api_client, upload, customer_headers, manager, coffee):
    refused = upload(csv_of("KEN-AA,Kenya AA,,1.00,EUR,coffee,,,"), headers=customer_headers)
    started = upload(csv_of("KEN-AA,Kenya AA,,1.00,EUR,coffee,,,"))

    assert refused.status_code == 403
    assert api_client.get(started["Location"], **customer_headers).status_code == 403
    assert api_client.get(started["Location"]).status_code == 401
    assert api_client.get(f"{IMPORTS_URL}{uuid.uuid4()}/", **manager).status_code == 404


class WorkerKilled(BaseException):
    """Stands in for a worker killed mid-job: nothing in the job sees it as an error."""


class FaultyImport:
    """A queued job of five rows, applied two at a time; its fourth row raises `fault` while one
    is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        source = csv_of(*(f"SKU-{n},Product {n},,1.00,EUR,coffee,,," for n in range(5)))
        self.job = ProductImport.objects.create(source=source, total_rows=5, requested_by="tests")
        self.fault: BaseException | None = None
        monkeypatch.setattr(services, "IMPORT_CHUNK_SIZE", 2)
        apply_row = services._import_row

        def apply_unless_faulty(values, categories, product_import):
            if values["sku"] == "SKU-3" and self.fault is not None:
                raise self.fault
            return apply_row(values, categories, product_import)

        monkeypatch.setattr(services, "_import_row", apply_unless_faulty)


@pytest.fixture
def faulty_import(monkeypatch, coffee) -> FaultyImport:
    return FaultyImport(monkeypatch)


def test_a_job_saves_progress_per_chunk_and_resumes_after_a_crash(faulty_import):
    job = faulty_import.job
    faulty_import.fault = WorkerKilled()
    with pytest.raises(WorkerKilled):
        services.product_import_run(import_id=job.id)

    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created_count) == ("RUNNING", 2, 2)
    assert Product.objects.count() == 2

    faulty_import.fault = None
    services.product_import_run(import_id=job.id)
    services.product_import_run(import_id=job.id)

    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created_count) == ("SUCCEEDED", 5, 5)
    assert Product.objects.count() == 5


def test_an_unexpected_error_ends_the_job_failed_with_it_and_a_redelivery_leaves_it_so(
    api_client, manager, faulty_import
):
    job = faulty_import.job
    faulty_import.fault = RuntimeError("the disk is full")
    with pytest.raises(RuntimeError):
        services.product_import_run(import_id=job.id)
    failed = api_client.get(f"{IMPORTS_URL}{job.id}/", **manager).json()
    faulty_import.fault = None
    services.product_import_run(import_id=job.id)
    redelivered = api_client.get(f"{IMPORTS_URL}{job.id}/", **manager).json()

    assert (failed["status"], failed["processed_rows"]) == ("FAILED", 2), failed
    assert failed["error"] == "RuntimeError: the disk is full"
    assert failed["finished_at"] is not None
    assert redelivered == failed
    assert Product.objects.count() == 2


def test_reading_a_job_costs_the_same_queries_however_many_rows_failed(
    api_client, upload, manager, coffee, django_assert_num_queries
):
    few = upload(csv_of("A,,,,,,,,")).json()["id"]
    many = upload(csv_of(*["A,,,,,,,," for _ in range(30)])).json()["id"]

    with django_assert_num_queries(2):
        api_client.get(f"{IMPORTS_URL}{few}/", **manager)
    with django_assert_num_queries(2):
        response = api_client.get(f"{IMPORTS_URL}{many}/", **manager)

    assert len(response.json()["errors"]) == 30 * 4


def test_import_jobs_are_listed_newest_first_a_page_at_a_time(
    api_client, upload, manager, customer_headers, coffee
):
    started = [
        upload(csv_of("KEN-AA,Kenya AA,,1.00,EUR,coffee,,,"), name=f"{n}.csv").json()["id"]
        for n in range(3)
    ]

    first = api_client.get(IMPORTS_URL, {"page_size": 2}, **manager)
    assert first.status_code == 200, first.json()
    second = api_client.get(first.json()["next"], **manager)

    assert first.json()["count"] == 3
    listed = [job["id"] for job in first.json()["results"] + second.json()["results"]]
    assert listed == started[::-1]
    assert first.json()["results"][0]["status"] == "SUCCEEDED"
    assert api_client.get(IMPORTS_URL, **customer_headers).status_code == 403
    assert api_client.get(IMPORTS_URL).status_code == 401


def test_an_import_started_while_the_broker_is_down_answers_202_and_the_sweep_runs_it(
    api_client, upload, manager, coffee, settings
):
    settings.JOB_REQUEUE_AFTER_SECONDS = 60
    with broker_unreachable():
        response = upload(csv_of("KEN-AA,Kenya AA,,1.00,EUR,coffee,,,"))
    job = ProductImport.objects.get()

    assert response.status_code == 202, response.json()
    assert job.status == "QUEUED"
    assert product_imports_requeue_task() == 0
    ProductImport.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert product_imports_requeue_task() == 1
    shown = api_client.get(response["Location"], **manager).json()
    assert (shown["status"], shown["created"]) == ("SUCCEEDED", 1), shown
    assert product_imports_requeue_task() == 0


def test_the_import_sweep_runs_as_often_as_its_threshold(settings):
    assert settings.CELERY_BEAT_SCHEDULE["requeue-product-imports"] == {
        "task": "catalog.product_imports_requeue",
        "schedule": settings.JOB_REQUEUE_AFTER_SECONDS,
    }


def test_the_schema_documents_listing_imports_and_their_statuses(client):
    response = client.get("/catalog/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    listing = schema["paths"][IMPORTS_URL]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedProductImportOutputList"
    }
    job = schema["components"]["schemas"]["ProductImportOutput"]["properties"]
    assert job["status"]["$ref"] == "#/components/schemas/JobStatusEnum"
    assert schema["components"]["schemas"]["JobStatusEnum"]["enum"] == [
        "QUEUED",
        "RUNNING",
        "SUCCEEDED",
        "FAILED",
    ]
    assert "error" in job
