"""Service accounts from mounted secret files: made once, secret kept current, roles left alone."""

import pytest

from apps.accounts.models import Role, ServiceAccount
from apps.accounts.services import service_accounts_ensure

pytestmark = pytest.mark.django_db


def test_each_mounted_file_becomes_the_account_of_its_service(tmp_path):
    (tmp_path / "orders").write_text("orders-secret\n")
    (tmp_path / "..data").mkdir()  # Kubernetes' own bookkeeping in a secret volume

    service_accounts_ensure(directory=tmp_path)

    orders = ServiceAccount.objects.get()
    assert orders.name == "orders"
    assert orders.check_secret("orders-secret")
    assert [role.name for role in orders.roles.all()] == ["service_orders"]


def test_a_changed_secret_replaces_the_old_one_and_the_roles_stay_as_edited(tmp_path):
    (tmp_path / "orders").write_text("first")
    service_accounts_ensure(directory=tmp_path)
    orders = ServiceAccount.objects.get()
    orders.roles.set([Role.objects.get(name="support")])

    (tmp_path / "orders").write_text("second")
    service_accounts_ensure(directory=tmp_path)

    orders.refresh_from_db()
    assert orders.check_secret("second")
    assert not orders.check_secret("first")
    assert [role.name for role in orders.roles.all()] == ["support"]
