"""Order exports share common.jobs' status: PENDING is now QUEUED and DONE is SUCCEEDED."""

from django.db import migrations, models

RENAMED = {"PENDING": "QUEUED", "DONE": "SUCCEEDED"}


def rename_statuses(apps, schema_editor, renamed=RENAMED):
    OrderExport = apps.get_model("orders", "OrderExport")
    for old, new in renamed.items():
        OrderExport.objects.filter(status=old).update(status=new)


def restore_statuses(apps, schema_editor):
    rename_statuses(apps, schema_editor, renamed={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_history_idempotency_keys_exports"),
    ]

    operations = [
        migrations.RunPython(rename_statuses, restore_statuses),
        migrations.AlterField(
            model_name="orderexport",
            name="status",
            field=models.CharField(
                choices=[
                    ("QUEUED", "Queued"),
                    ("RUNNING", "Running"),
                    ("SUCCEEDED", "Succeeded"),
                    ("FAILED", "Failed"),
                ],
                default="QUEUED",
                max_length=10,
            ),
        ),
    ]
