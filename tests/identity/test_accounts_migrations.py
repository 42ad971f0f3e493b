"""The roles migrations: the never-checked `payments.payment.refund` leaves existing roles, and the
admin actions' permissions join them."""

from apps.accounts.roles import DEFAULT_ROLES
from common.testing.migrations import at_migration, migrate


def test_roles_created_before_lose_payment_refund_and_keep_everything_else(db):
    with at_migration("accounts", "0003_event_permissions") as before:
        role = before.get_model("accounts", "Role")
        role.objects.update_or_create(
            name="finance",
            defaults={"permissions": ["orders.order.refund", "payments.payment.refund"]},
        )
        role.objects.create(name="refunds", permissions=["payments.payment.refund"])

        after = migrate("accounts", "0004_drop_payment_refund_permission")
        permissions = dict(
            after.get_model("accounts", "Role").objects.values_list("name", "permissions")
        )

    assert permissions["finance"] == ["orders.order.refund"]
    assert permissions["refunds"] == []


def test_roles_created_before_the_admin_actions_are_granted_their_permissions(db):
    with at_migration("accounts", "0005_user_timezone") as before:
        role = before.get_model("accounts", "Role")
        for name in ("support", "finance", "catalog_manager"):
            role.objects.update_or_create(
                name=name, defaults={"permissions": ["identity.admin.access"]}
            )

        after = migrate("accounts", "0006_admin_action_permissions")
        permissions = dict(
            after.get_model("accounts", "Role").objects.values_list("name", "permissions")
        )

    assert permissions["support"] == [
        "catalog.schedule.read",
        "identity.admin.access",
        "identity.schedule.read",
        "notifications.schedule.read",
        "notifications.webhook.resend",
        "orders.schedule.read",
        "payments.schedule.read",
    ]
    assert permissions["finance"] == ["identity.admin.access", "payments.payment.retry"]
    assert permissions["catalog_manager"] == ["identity.admin.access"]


def test_the_default_roles_grant_each_admin_action_to_who_runs_it():
    support, finance = DEFAULT_ROLES["support"][1], DEFAULT_ROLES["finance"][1]

    assert {"orders.order.cancel_any", "notifications.webhook.resend"} <= support
    assert {"orders.order.refund", "payments.payment.retry"} <= finance
    assert not {"orders.order.refund", "payments.payment.retry"} & support
    assert "catalog.stock.write" in DEFAULT_ROLES["catalog_manager"][1]
    assert {"identity.user.write", "identity.signing_key.rotate"} <= DEFAULT_ROLES["admin"][1]
