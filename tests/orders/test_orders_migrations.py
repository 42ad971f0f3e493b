"""orders' migrations: export jobs' PENDING and DONE become the shared job statuses, and the
previous release's code still writes exports once their progress columns exist."""

from django.db import connection

from apps.orders.models import OrderExport
from common.testing.migrations import at_migration, migrate

OLD_TO_NEW = {"PENDING": "QUEUED", "RUNNING": "RUNNING", "DONE": "SUCCEEDED", "FAILED": "FAILED"}


def test_export_statuses_become_the_shared_job_statuses_and_go_back(transactional_db):
    with at_migration("orders", "0002_history_idempotency_keys_exports") as before:
        old_model = before.get_model("orders", "OrderExport")
        ids = {status: old_model.objects.create(status=status).id for status in OLD_TO_NEW}

        after = migrate("orders", "0003_job_status").get_model("orders", "OrderExport")
        migrated = {status: after.objects.get(id=ids[status]).status for status in OLD_TO_NEW}

        restored = migrate("orders", "0002_history_idempotency_keys_exports").get_model(
            "orders", "OrderExport"
        )
        reverted = {status: restored.objects.get(id=ids[status]).status for status in OLD_TO_NEW}

    assert migrated == OLD_TO_NEW
    assert reverted == {status: status for status in OLD_TO_NEW}


def test_an_export_written_without_the_progress_columns_starts_at_none_done(db):
    """As the release before them writes one during a rollout: naming none of them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO orders_orderexport (id, requested_by, filters, status, content, error,"
            " created_at) VALUES (gen_random_uuid(), 'finance-1', '{}', 'QUEUED', '', '', now())"
        )

    assert OrderExport.objects.values_list("processed_rows", "total_rows").get() == (0, None)
