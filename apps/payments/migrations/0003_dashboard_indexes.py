"""Indexes for the admin's newest-first lists and the dashboard's recent counts, built
concurrently: a live table keeps taking writes meanwhile."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('payments', '0002_provider_attempts_refunds_sandbox'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='payment',
            index=models.Index(fields=['-created_at'], name='payments_created'),
        ),
        AddIndexConcurrently(
            model_name='payment',
            index=models.Index(condition=models.Q(('refunded_at__isnull', False)), fields=['refunded_at'], name='payments_refunded_at'),
        ),
    ]
