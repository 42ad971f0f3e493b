"""Identity's users: e-mail logins that are unique whatever their case."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from apps.accounts.models import Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]


def test_the_database_refuses_an_email_that_differs_only_in_case():
    User.objects.create(email="cleo@mercato.local")

    with pytest.raises(IntegrityError, match="accounts_user_email_ci_unique"), transaction.atomic():
        User.objects.create(email="Cleo@Mercato.Local")

    assert User.objects.count() == 1


def test_create_user_stores_the_email_in_lower_case_with_a_hashed_password():
    user = User.objects.create_user("Cleo@Mercato.LOCAL", "s3cret-pass")

    assert user.email == "cleo@mercato.local"
    assert user.password != "s3cret-pass"
    assert user.check_password("s3cret-pass")
    assert not user.is_staff


def test_create_superuser_gives_the_admin_role_and_so_every_admin():
    admin = User.objects.create_superuser("root@mercato.local", "s3cret-pass")

    assert list(admin.roles.values_list("name", flat=True)) == ["admin"]
    assert admin.is_staff
    assert {"identity.admin.access", "catalog.admin.access"} <= admin.granted_scopes


def test_the_first_admin_is_made_without_prompts_as_docs_deploy_shows(monkeypatch):
    """`createsuperuser --noinput --email`, the password from DJANGO_SUPERUSER_PASSWORD."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-passphrase-7")

    call_command("createsuperuser", "--noinput", "--email", "First@Example.com", verbosity=0)

    admin = User.objects.get(email="first@example.com")
    assert admin.check_password("a-long-passphrase-7")
    assert list(admin.roles.values_list("name", flat=True)) == ["admin"]


def test_a_users_scopes_are_the_union_of_its_roles_permissions():
    user = User.objects.create_user("mixed@mercato.local", "s3cret-pass")
    user.roles.add(Role.objects.get(name="customer"), Role.objects.get(name="finance"))

    assert "orders.order.create" in user.granted_scopes
    assert "orders.order.refund" in user.granted_scopes
    assert "catalog.product.write" not in user.granted_scopes


def test_a_permission_not_shaped_service_resource_action_is_refused():
    role = Role(name="broken", permissions=["catalog product write"])

    with pytest.raises(ValidationError, match="service"):
        role.full_clean()
