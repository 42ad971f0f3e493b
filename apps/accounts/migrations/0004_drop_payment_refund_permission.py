"""Takes `payments.payment.refund` out of the roles: nothing checks it, refunds start in orders."""

from django.db import migrations

DROPPED = "payments.payment.refund"
# The default roles that granted it, for the way back.
GRANTED_BY_DEFAULT = ("finance", "admin")


def drop(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(permissions__contains=[DROPPED]):
        role.permissions = [permission for permission in role.permissions if permission != DROPPED]
        role.save(update_fields=["permissions"])


def restore(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(name__in=GRANTED_BY_DEFAULT):
        role.permissions = sorted(set(role.permissions) | {DROPPED})
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_event_permissions")]

    operations = [migrations.RunPython(drop, restore)]
