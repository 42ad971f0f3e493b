"""The caller of an API request, as its verified access token describes it."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rest_framework.request import Request

SERVICE_SUBJECT_PREFIX = "service:"


@dataclass(frozen=True)
class TokenUser:
    """Built from token claims alone, so no service looks users up in a table to authorise."""

    id: str
    email: str
    roles: frozenset[str]
    scopes: frozenset[str]

    is_authenticated = True
    is_anonymous = False
    is_active = True

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "TokenUser":
        return cls(
            id=str(claims["sub"]),
            email=claims.get("email", ""),
            roles=frozenset(claims.get("roles") or ()),
            scopes=frozenset((claims.get("scope") or "").split()),
        )

    @property
    def pk(self) -> str:
        """DRF's per-user throttles key on `pk`."""
        return self.id

    @property
    def is_service(self) -> bool:
        return self.id.startswith(SERVICE_SUBJECT_PREFIX)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def __str__(self) -> str:
        return self.email or self.id


def caller(request: "Request") -> TokenUser:
    """The caller of a request that passed ScopePermission: BearerTokenAuthentication, the only
    authentication, set `request.user`, which DRF's stubs can only call a Django user."""
    return cast(TokenUser, request.user)
