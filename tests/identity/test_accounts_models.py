"""Identity's users: e-mail logins that are unique whatever their case."""

import pytest
from django.db import IntegrityError, transaction

from apps.accounts.models import User

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


def test_create_superuser_makes_staff_superusers():
    admin = User.objects.create_superuser("root@mercato.local", "s3cret-pass")

    assert admin.is_staff
    assert admin.is_superuser
