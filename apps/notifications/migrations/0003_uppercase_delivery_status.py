"""Webhook delivery statuses are UPPERCASE like every other status the platform shows."""

from django.db import migrations, models
from django.db.models.functions import Lower, Upper


def uppercase_statuses(apps, schema_editor):
    apps.get_model("notifications", "WebhookDelivery").objects.update(status=Upper("status"))


def lowercase_statuses(apps, schema_editor):
    apps.get_model("notifications", "WebhookDelivery").objects.update(status=Lower("status"))


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_notifications_and_webhooks'),
    ]

    # The partial index names the pending value, so it is rebuilt around the rewrite of the rows.
    operations = [
        migrations.RemoveIndex(
            model_name='webhookdelivery',
            name='notifications_delivery_due',
        ),
        migrations.RunPython(uppercase_statuses, lowercase_statuses),
        migrations.AlterField(
            model_name='webhookdelivery',
            name='status',
            field=models.CharField(choices=[('PENDING', 'Pending'), ('SUCCEEDED', 'Succeeded'), ('FAILED', 'Failed')], default='PENDING', max_length=16),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(condition=models.Q(('status', 'PENDING')), fields=['next_attempt_at'], name='notifications_delivery_due'),
        ),
    ]
