"""Product imports share common.jobs' status: QUEUED, RUNNING, SUCCEEDED or FAILED with an error."""

from django.db import migrations, models

# The old lower-case statuses and what each is called now; FAILED is new, and goes back as
# `finished`, the only end the old model knew.
RENAMED = {"queued": "QUEUED", "running": "RUNNING", "finished": "SUCCEEDED"}


def rename_statuses(apps, schema_editor, renamed=RENAMED):
    ProductImport = apps.get_model("catalog", "ProductImport")
    for old, new in renamed.items():
        ProductImport.objects.filter(status=old).update(status=new)


def restore_statuses(apps, schema_editor):
    restored = {new: old for old, new in RENAMED.items()}
    rename_statuses(apps, schema_editor, renamed={**restored, "FAILED": "finished"})


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_product_import"),
    ]

    operations = [
        migrations.AddField(
            model_name="productimport",
            name="error",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(rename_statuses, restore_statuses),
        migrations.AlterField(
            model_name="productimport",
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
