"""The ownership matrix of identity: every default role and anonymous callers against another
person's account and the roles, on every route that names one or lists them. A person reads and
changes their own account at `users/me/`; another's only with the user scopes."""

from apps.accounts.models import Role, User
from common.testing.ownership import Access, Listing

SERVICE = "identity"
API = f"{SERVICE}/api/v1/"
USER_READERS = frozenset({"support", "finance", "admin"})


def person(owner: str) -> User:
    """The account of `owner` itself."""
    return User.objects.create_user(f"{owner}@mercato.test", None, id=owner)


def role(owner: str) -> Role:
    return Role.objects.create(name=f"role-{owner}")


ACCESSES = (
    Access(f"{API}users/<uuid:user_id>/", "get", person, allowed=USER_READERS),
    Access(
        f"{API}users/<uuid:user_id>/",
        "patch",
        person,
        allowed=frozenset({"admin"}),
        body={"full_name": "Renamed"},
    ),
)
LISTINGS = (
    Listing(f"{API}users/", person, everyone=USER_READERS),
    Listing(f"{API}roles/", role, everyone=frozenset({"support", "admin"}), key="name"),
)
