"""catalog's data migrations: product imports' old lower-case statuses become the job statuses."""

from common.testing.migrations import at_migration, migrate

OLD_TO_NEW = {"queued": "QUEUED", "running": "RUNNING", "finished": "SUCCEEDED"}


def test_import_statuses_become_the_shared_job_statuses_and_go_back(transactional_db):
    with at_migration("catalog", "0002_product_import") as before:
        old_model = before.get_model("catalog", "ProductImport")
        ids = {
            status: old_model.objects.create(
                status=status, source="", total_rows=0, requested_by="tests"
            ).id
            for status in OLD_TO_NEW
        }

        after = migrate("catalog", "0003_job_status").get_model("catalog", "ProductImport")
        migrated = {status: after.objects.get(id=ids[status]).status for status in OLD_TO_NEW}
        after.objects.filter(id=ids["finished"]).update(status="FAILED")

        restored = migrate("catalog", "0002_product_import").get_model("catalog", "ProductImport")
        reverted = {status: restored.objects.get(id=ids[status]).status for status in OLD_TO_NEW}

    assert migrated == OLD_TO_NEW
    assert reverted == {"queued": "queued", "running": "running", "finished": "finished"}
