"""Scope-based access: each view says which permission string each HTTP method needs."""

from typing import TYPE_CHECKING, TypeVar, cast

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from common.auth.users import TokenUser

PUBLIC = None
AUTHENTICATED = "authenticated"

if TYPE_CHECKING:
    # At run time this import would be circular: DRF's views load this module by its settings.
    from rest_framework.views import APIView

Row = TypeVar("Row", bound=Model)
# What the queryset yields: its model's instances, or `.values()` rows.
Result = TypeVar("Result")


class ScopePermission(BasePermission):
    """Reads the view's `required_scopes`, e.g. `{"get": PUBLIC, "post": "catalog.product.write"}`.

    A method the map does not name is refused, so a view that forgets to declare one stays closed.
    `"authenticated"` lets in any valid token; a tuple lets in a token holding any one of its
    scopes (a customer's `orders.order.read` or staff's `orders.order.read_any`; which rows each
    then sees is the selector's business). Missing credentials give 401, a token without the
    scope 403.
    """

    message = "Your token does not grant the scope this action needs."

    def has_permission(self, request: Request, view: "APIView") -> bool:
        required_scopes = getattr(view, "required_scopes", {})
        method = "get" if request.method == "HEAD" else str(request.method).lower()
        if not hasattr(view, method):
            return True  # DRF answers 405 for a method the view does not implement
        if method not in required_scopes:
            return False
        scope = required_scopes[method]
        if scope is PUBLIC:
            return True
        # BearerTokenAuthentication is the only authentication; DRF's stubs know only Django users.
        user = cast("TokenUser | None", request.user)
        if user is None or not user.is_authenticated:
            return False
        if scope == AUTHENTICATED:
            return True
        return any(user.has_scope(one) for one in (scope if isinstance(scope, tuple) else (scope,)))


def owned_or_any(
    queryset: QuerySet[Row, Result],
    *,
    viewer: TokenUser,
    any_scope: str,
    owner_field: str = "customer_id",
) -> QuerySet[Row, Result]:
    """The rows `viewer` may see: all of them with `any_scope`, otherwise only their own (none
    for a service token, whose subject owns nothing)."""
    if viewer.has_scope(any_scope):
        return queryset
    if viewer.is_service:
        return queryset.none()
    return queryset.filter(**{owner_field: viewer.id})


def get_owned_or_404(
    queryset: QuerySet[Row],
    *,
    viewer: TokenUser,
    any_scope: str,
    owner_field: str = "customer_id",
    **lookup: object,
) -> Row:
    """One row `viewer` may see; another customer's row is 404 like a missing one, so ids leak
    nothing."""
    visible = owned_or_any(queryset, viewer=viewer, any_scope=any_scope, owner_field=owner_field)
    row = visible.filter(**lookup).first()
    if row is None:
        raise Http404
    return row
