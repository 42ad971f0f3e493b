"""Indexes for the admin's newest-first lists and the dashboard's recent counts, built
concurrently: a live table keeps taking writes meanwhile."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('notifications', '0003_uppercase_delivery_status'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='webhookdelivery',
            index=models.Index(fields=['-created_at'], name='notifications_delivery_created'),
        ),
    ]
