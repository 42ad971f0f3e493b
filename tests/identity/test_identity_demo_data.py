"""identity's load_demo_data: the five demo logins, safe to run again."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.models import ServiceAccount, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]

DEMO_EMAILS = {
    "admin@mercato.local",
    "manager@mercato.local",
    "support@mercato.local",
    "finance@mercato.local",
    "customer@mercato.local",
}


def load_demo_data() -> None:
    call_command("load_demo_data", stdout=StringIO())


def test_demo_data_creates_the_five_demo_users_with_the_demo_password():
    load_demo_data()

    users = User.objects.all()
    assert {user.email for user in users} == DEMO_EMAILS
    assert all(user.check_password("mercato-demo") for user in users)
    assert all(user.is_active for user in users)


def test_each_demo_user_holds_its_role_and_only_the_customer_is_not_staff():
    load_demo_data()

    roles = {user.email: [role.name for role in user.roles.all()] for user in User.objects.all()}
    assert roles == {
        "admin@mercato.local": ["admin"],
        "manager@mercato.local": ["catalog_manager"],
        "support@mercato.local": ["support"],
        "finance@mercato.local": ["finance"],
        "customer@mercato.local": ["customer"],
    }
    outsiders = {user.email for user in User.objects.all() if not user.is_staff}
    assert outsiders == {"customer@mercato.local"}


def test_demo_data_registers_every_other_service_with_its_development_secret():
    load_demo_data()

    accounts = {account.name: account for account in ServiceAccount.objects.all()}
    assert set(accounts) == {"catalog", "orders", "payments", "notifications"}
    assert accounts["orders"].check_secret("orders-local-development-only")


def test_running_demo_data_twice_creates_no_one_twice():
    load_demo_data()
    ids = set(User.objects.values_list("id", flat=True))

    load_demo_data()

    assert set(User.objects.values_list("id", flat=True)) == ids


def test_running_demo_data_again_keeps_a_changed_password():
    load_demo_data()
    admin = User.objects.get(email="admin@mercato.local")
    admin.set_password("changed-by-the-operator")
    admin.save()

    load_demo_data()

    admin.refresh_from_db()
    assert admin.check_password("changed-by-the-operator")
