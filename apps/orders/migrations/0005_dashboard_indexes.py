"""Indexes for the admin's newest-first lists and the dashboard's recent counts, built
concurrently: a live table keeps taking writes meanwhile."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('orders', '0004_export_progress'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='order',
            index=models.Index(fields=['-created_at'], name='orders_order_created'),
        ),
        AddIndexConcurrently(
            model_name='orderstatuschange',
            index=models.Index(condition=models.Q(('to_status', 'CANCELLED')), fields=['at'], name='orders_cancelled_at'),
        ),
    ]
