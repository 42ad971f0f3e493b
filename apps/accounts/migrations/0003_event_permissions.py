"""Grants the outbox and dead-letter permissions to roles created before they existed."""

from django.db import migrations

SERVICES = ("identity", "catalog", "orders", "payments", "notifications")
READ = [f"{service}.event.read" for service in SERVICES]
REPLAY = [f"{service}.event.replay" for service in SERVICES]
GRANTS = {"support": READ, "admin": READ + REPLAY}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(name__in=GRANTS):
        role.permissions = sorted(set(role.permissions) | set(GRANTS[role.name]))
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles_service_accounts_signing_keys")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
