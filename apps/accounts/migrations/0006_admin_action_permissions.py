"""Grants the admin actions' and the schedules' new permissions to the default roles created
before they existed."""

from django.db import migrations

SERVICES = ("identity", "catalog", "orders", "payments", "notifications")
SCHEDULE_READ = [f"{service}.schedule.read" for service in SERVICES]
SCHEDULE_MANAGE = [f"{service}.schedule.manage" for service in SERVICES]
GRANTS = {
    "support": ["notifications.webhook.resend", *SCHEDULE_READ],
    "finance": ["payments.payment.retry"],
    "admin": [
        "notifications.webhook.resend",
        "payments.payment.retry",
        *SCHEDULE_READ,
        *SCHEDULE_MANAGE,
    ],
}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(name__in=GRANTS):
        role.permissions = sorted(set(role.permissions) | set(GRANTS[role.name]))
        role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(name__in=GRANTS):
        role.permissions = [p for p in role.permissions if p not in GRANTS[role.name]]
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_user_timezone")]

    operations = [migrations.RunPython(grant, revoke)]
