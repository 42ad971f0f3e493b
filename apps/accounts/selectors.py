"""Identity reads: users and roles as QuerySets."""

from django.db.models import QuerySet

from apps.accounts.models import Role, User


def user_list() -> QuerySet[User]:
    return User.objects.prefetch_related("roles").order_by("email")


def role_list() -> QuerySet[Role]:
    return Role.objects.order_by("name")
