"""Each user's time zone, which the admins show times in (the tokens' `zoneinfo` claim)."""

from django.db import migrations, models

import apps.accounts.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_drop_payment_refund_permission"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="timezone",
            field=models.CharField(
                default="UTC",
                db_default="UTC",
                max_length=64,
                validators=[apps.accounts.models.validate_timezone],
            ),
        ),
    ]
