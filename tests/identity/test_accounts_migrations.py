"""The roles migration takes the never-checked `payments.payment.refund` out of existing roles."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.accounts.models import Role

pytestmark = pytest.mark.django_db


def drop_payment_refund() -> None:
    """Runs the migration's data step on the models as they stood before it."""
    loader = MigrationLoader(connection)
    before = loader.project_state(("accounts", "0003_event_permissions")).apps
    (step,) = loader.get_migration("accounts", "0004_drop_payment_refund_permission").operations
    step.code(before, None)


def test_roles_created_before_lose_payment_refund_and_keep_everything_else():
    finance, _ = Role.objects.get_or_create(name="finance")
    finance.permissions = ["orders.order.refund", "payments.payment.refund"]
    finance.save()
    custom = Role.objects.create(name="refunds", permissions=["payments.payment.refund"])

    drop_payment_refund()

    finance.refresh_from_db()
    custom.refresh_from_db()
    assert finance.permissions == ["orders.order.refund"]
    assert custom.permissions == []
