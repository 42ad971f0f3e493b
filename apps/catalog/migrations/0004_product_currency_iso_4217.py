"""A product's currency is checked against ISO 4217 in forms and the API; the column is unchanged."""

from django.db import migrations, models

import apps.catalog.models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_job_status")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="currency",
            field=models.CharField(
                default="EUR", max_length=3, validators=[apps.catalog.models.validate_currency]
            ),
        )
    ]
