"""The roles migration takes the never-checked `payments.payment.refund` out of existing roles."""

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
