"""Account commands: every change to a user goes through here."""

from django.db import transaction

from apps.accounts.models import User


@transaction.atomic
def user_ensure(
    *,
    email: str,
    password: str,
    full_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """The user with `email`, created with these fields if missing; an existing one stays as is."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password, full_name=full_name, is_staff=is_staff, is_superuser=is_superuser
        )
    return user
