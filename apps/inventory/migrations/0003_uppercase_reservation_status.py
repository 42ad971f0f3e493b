"""Reservation statuses are UPPERCASE like every other status the platform shows."""

from django.db import migrations, models
from django.db.models.functions import Lower, Upper


def uppercase_statuses(apps, schema_editor):
    apps.get_model("inventory", "Reservation").objects.update(status=Upper("status"))


def lowercase_statuses(apps, schema_editor):
    apps.get_model("inventory", "Reservation").objects.update(status=Lower("status"))


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0002_reservations_and_adjustments'),
    ]

    # The partial index names the held value, so it is rebuilt around the rewrite of the rows.
    operations = [
        migrations.RemoveIndex(
            model_name='reservation',
            name='inventory_reservation_held',
        ),
        migrations.RunPython(uppercase_statuses, lowercase_statuses),
        migrations.AlterField(
            model_name='reservation',
            name='status',
            field=models.CharField(choices=[('HELD', 'Held'), ('COMMITTED', 'Committed'), ('RELEASED', 'Released'), ('RETURNED', 'Returned')], default='HELD', max_length=16),
        ),
        migrations.AddIndex(
            model_name='reservation',
            index=models.Index(condition=models.Q(('status', 'HELD')), fields=['expires_at'], name='inventory_reservation_held'),
        ),
    ]
