"""Periodic and background work: the saga deadline and the CSV export job."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.orders import services
from apps.orders.models import Order, OrderExport, OrderStatus
from apps.orders.services import orders_expire_unpaid
from apps.orders.tasks import (
    order_export_run_task,
    order_exports_requeue_task,
    order_saga_deadlines_task,
)
from common.jobs import JobProgress, JobStatus
from common.testing.celery import broker_unreachable
from common.testing.events import published_data
from tests.orders.conftest import FINANCE_SCOPES, ORDERS_URL, order_in

pytestmark = pytest.mark.django_db

EXPORTS_URL = f"{ORDERS_URL}exports/"


def placed_ago(order: Order, seconds: int) -> Order:
    Order.objects.filter(id=order.id).update(created_at=timezone.now() - timedelta(seconds=seconds))
    return order


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.AWAITING_PAYMENT])
def test_an_unpaid_order_past_the_deadline_is_cancelled_for_timeout(settings, status):
    settings.ORDER_SAGA_TIMEOUT_SECONDS = 900
    stale = placed_ago(order_in(status), 901)
    fresh = placed_ago(order_in(status), 60)

    cancelled = order_saga_deadlines_task()

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert cancelled == 1
    assert (stale.status, stale.cancel_reason) == (OrderStatus.CANCELLED, "timeout")
    assert stale.history.last().actor == "system"
    assert fresh.status == status
    assert [data["order_id"] for data in published_data("order.cancelled")] == [str(stale.id)]


def test_paid_orders_are_never_timed_out(settings):
    settings.ORDER_SAGA_TIMEOUT_SECONDS = 900
    confirmed = placed_ago(order_in(OrderStatus.CONFIRMED), 10_000)

    assert order_saga_deadlines_task() == 0
    confirmed.refresh_from_db()
    assert confirmed.status == OrderStatus.CONFIRMED


def test_the_deadline_sweep_works_through_every_batch(settings):
    settings.ORDER_SAGA_TIMEOUT_SECONDS = 900
    for _ in range(5):
        placed_ago(order_in(), 1000)

    assert orders_expire_unpaid(batch_size=2) == 5
    assert not Order.objects.exclude(status=OrderStatus.CANCELLED).exists()


def test_the_deadline_task_is_scheduled_every_ten_seconds(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["order-saga-deadlines"]

    assert schedule == {"task": "orders.saga_deadlines", "schedule": 10}


def rows(csv_text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_text)))


def test_an_export_job_writes_the_matching_orders_as_csv(
    api_client, caller, django_capture_on_commit_callbacks
):
    confirmed = order_in(OrderStatus.CONFIRMED)
    order_in(OrderStatus.PENDING)
    finance = caller(*FINANCE_SCOPES)

    with django_capture_on_commit_callbacks(execute=True):
        requested = api_client.post(EXPORTS_URL, {"status": "CONFIRMED"}, **finance.headers)
    job = api_client.get(f"{EXPORTS_URL}{requested.json()['id']}/", **finance.headers).json()
    download = api_client.get(job["download_url"], **finance.headers)

    assert requested.status_code == 202
    assert requested.json()["status"] == "QUEUED"
    assert job["status"] == "SUCCEEDED"
    assert job["row_count"] == 1
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert [
        (row["id"], row["status"], row["total"]) for row in rows(download.content.decode())
    ] == [(str(confirmed.id), "CONFIRMED", "20.00")]


def test_an_export_filters_by_creation_time(api_client, caller, django_capture_on_commit_callbacks):
    placed_ago(order_in(), 3 * 86400)
    recent = order_in()
    finance = caller(*FINANCE_SCOPES)
    since = (timezone.now() - timedelta(days=1)).isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        requested = api_client.post(EXPORTS_URL, {"created_after": since}, **finance.headers)

    export = OrderExport.objects.get(id=requested.json()["id"])
    assert [row["id"] for row in rows(export.content)] == [str(recent.id)]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_after": "0001-01-01T00:00:00+05:00"}, "created_after"),
        ({"created_before": "10000-01-01T00:00:00Z"}, "created_before"),
        ({"created_before": "2026-02-30T00:00:00Z"}, "created_before"),
        ({"status": "pending"}, "status"),
    ],
)
def test_a_filter_that_is_no_time_or_status_is_a_400_naming_it_and_no_job(
    api_client, caller, filters, field
):
    response = api_client.post(EXPORTS_URL, filters, **caller(*FINANCE_SCOPES).headers)

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
    assert not OrderExport.objects.exists()


def test_an_export_job_runs_once():
    order_in(OrderStatus.CONFIRMED)
    export = OrderExport.objects.create(requested_by="finance-1")
    order_export_run_task(str(export.id))
    order_in(OrderStatus.CONFIRMED)

    order_export_run_task(str(export.id))

    export.refresh_from_db()
    assert export.status == JobStatus.SUCCEEDED
    assert export.row_count == len(rows(export.content)) == 1


def test_an_export_left_running_by_a_killed_worker_is_written_when_its_task_comes_again():
    order_in(OrderStatus.CONFIRMED)
    export = OrderExport.objects.create(requested_by="finance-1", status=JobStatus.RUNNING)

    order_export_run_task(str(export.id))

    export.refresh_from_db()
    assert (export.status, export.row_count) == (JobStatus.SUCCEEDED, 1)
    assert len(rows(export.content)) == 1


def test_an_export_saves_its_progress_after_each_batch_of_rows_while_it_runs(monkeypatch):
    monkeypatch.setattr(services, "EXPORT_PROGRESS_ROWS", 2)
    for _ in range(5):
        order_in(OrderStatus.CONFIRMED)
    export = OrderExport.objects.create(requested_by="finance-1")
    saved: list[tuple[str, int, int]] = []
    advance = JobProgress.advance

    def advance_and_read_the_row(progress, rows=1):
        advance(progress, rows)
        job = OrderExport.objects.values_list("status", "processed_rows", "total_rows")
        saved.append(job.get(id=export.id))

    monkeypatch.setattr(JobProgress, "advance", advance_and_read_the_row)

    order_export_run_task(str(export.id))

    running = JobStatus.RUNNING
    assert saved == [
        (running, 0, 5),
        (running, 2, 5),
        (running, 2, 5),
        (running, 4, 5),
        (running, 4, 5),
    ]
    export.refresh_from_db()
    assert (export.status, export.processed_rows, export.total_rows) == (JobStatus.SUCCEEDED, 5, 5)


def test_progress_from_a_duplicate_run_leaves_a_finished_export_as_it_ended():
    export = OrderExport.objects.create(
        requested_by="finance-1", status=JobStatus.SUCCEEDED, total_rows=3, processed_rows=3
    )

    progress = JobProgress(model=OrderExport, job_id=export.id, total_rows=9, every_rows=1)
    progress.advance()

    export.refresh_from_db()
    assert (export.processed_rows, export.total_rows) == (3, 3)


def test_a_failing_export_job_is_marked_failed_with_its_error():
    export = OrderExport.objects.create(
        requested_by="finance-1", filters={"created_after": "not a time"}
    )

    with pytest.raises(ValidationError):
        order_export_run_task(str(export.id))

    export.refresh_from_db()
    assert export.status == JobStatus.FAILED
    assert export.error.startswith("ValidationError: ")
    assert "not a time" in export.error
    assert export.finished_at is not None
    assert export.content == ""


def test_downloading_before_the_job_is_done_is_a_409(api_client, caller):
    finance = caller(*FINANCE_SCOPES)
    export = OrderExport.objects.create(requested_by=finance.id)

    response = api_client.get(f"{EXPORTS_URL}{export.id}/download/", **finance.headers)

    assert response.status_code == 409
    assert response.json()["type"] == "urn:mercato:problem:export_not_ready"


def test_exporting_needs_the_export_scope(api_client, customer):
    assert api_client.post(EXPORTS_URL, {}, **customer.headers).status_code == 403


def test_only_the_requester_or_an_export_scope_holder_sees_a_job(api_client, caller, customer):
    export = OrderExport.objects.create(requested_by=caller().id)
    own = OrderExport.objects.create(requested_by=customer.id)

    assert api_client.get(f"{EXPORTS_URL}{export.id}/", **customer.headers).status_code == 404
    assert api_client.get(f"{EXPORTS_URL}{own.id}/", **customer.headers).status_code == 200
    assert (
        api_client.get(f"{EXPORTS_URL}{export.id}/", **caller(*FINANCE_SCOPES).headers).status_code
        == 200
    )


def test_an_export_requested_while_the_broker_is_down_answers_and_the_sweep_runs_it(
    api_client, caller, settings, django_capture_on_commit_callbacks
):
    settings.JOB_REQUEUE_AFTER_SECONDS = 60
    order_in(OrderStatus.CONFIRMED)
    finance = caller(*FINANCE_SCOPES)

    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        requested = api_client.post(EXPORTS_URL, {"status": "CONFIRMED"}, **finance.headers)

    assert requested.status_code == 202, requested.json()
    assert OrderExport.objects.get().status == JobStatus.QUEUED
    assert order_exports_requeue_task() == 0
    OrderExport.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert order_exports_requeue_task() == 1
    job = api_client.get(f"{EXPORTS_URL}{requested.json()['id']}/", **finance.headers).json()
    assert (job["status"], job["row_count"]) == ("SUCCEEDED", 1), job
    assert order_exports_requeue_task() == 0


def test_the_export_sweep_runs_as_often_as_its_threshold(settings):
    assert settings.CELERY_BEAT_SCHEDULE["requeue-order-exports"] == {
        "task": "orders.exports_requeue",
        "schedule": settings.JOB_REQUEUE_AFTER_SECONDS,
    }


def test_the_schema_names_the_job_status_enum_apart_from_the_order_status_enum(client):
    response = client.get("/orders/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schemas = response.json()["components"]["schemas"]
    assert schemas["JobStatusEnum"]["enum"] == ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]
    assert schemas["OrderExportOutput"]["properties"]["status"] == {
        "$ref": "#/components/schemas/JobStatusEnum"
    }
    assert "PENDING" in schemas["OrderStatusEnum"]["enum"]
