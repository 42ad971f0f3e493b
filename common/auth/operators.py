"""Operators in every service's admin: signed in once by identity, allowed what their scopes say.

identity's sign-in page sets an access-token cookie on the whole host; every service's admin
verifies it statelessly against the JWKS on each request, as the API verifies a bearer token.
No Django session carries the sign-in, so no admin outlives the operator's tokens.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import render
from django.utils import timezone

from common.auth.scopes import admin_access_scope
from common.auth.tokens import InvalidToken, token_claims
from common.timezones import timezone_names

ACCESS_COOKIE = "mercato_operator"
REFRESH_COOKIE = "mercato_operator_refresh"
# identity's operator pages; the refresh cookie is sent to these alone.
OPERATOR_PATH = "/identity/operator/"
SIGN_IN_PATH = f"{OPERATOR_PATH}sign-in/"
RENEW_PATH = f"{OPERATOR_PATH}renew/"
SIGN_OUT_PATH = f"{OPERATOR_PATH}sign-out/"
NO_ADMIN_ACCESS = "This account may not use this admin."
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class Operator:
    """The person using an admin, as their access token describes them."""

    id: str
    email: str
    roles: tuple[str, ...]
    scopes: frozenset[str]
    timezone: str

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Operator":
        return cls(
            id=str(claims["sub"]),
            email=claims.get("email", ""),
            roles=tuple(sorted(claims.get("roles") or ())),
            scopes=frozenset((claims.get("scope") or "").split()),
            timezone=known_timezone(claims.get("zoneinfo")),
        )


def known_timezone(name: object) -> str:
    """`name` when this machine's zoneinfo has it, else UTC: a token never fails a page."""
    return name if isinstance(name, str) and name in timezone_names() else DEFAULT_TIMEZONE


def operator_scopes(request: HttpRequest) -> frozenset[str]:
    operator: Operator | None = getattr(request, "operator", None)
    return operator.scopes if operator is not None else frozenset()


def identity_page(path: str, *, back_to: str) -> str:
    """identity's operator page `path`, asked to send the browser back to `back_to` after."""
    return f"{settings.IDENTITY_PUBLIC_URL.rstrip('/')}{path}?{urlencode({'next': back_to})}"


def return_address(request: HttpRequest, path: str) -> str:
    """`path` on this service as identity must name it: relative when identity shares this
    host and port (the gateway), else absolute, since identity then serves from another port."""
    if not settings.IDENTITY_PUBLIC_URL:
        return path
    return request.build_absolute_uri(path)


def operator_user(operator: Operator) -> AbstractBaseUser | None:
    """The user row the admin's log entries point at. identity's operators are its own users;
    another service keeps a password-less staff row per operator, made on their first request
    and brought up to the e-mail their token names (a read, not a write, on every later one)."""
    model = get_user_model()
    if model.USERNAME_FIELD != "username":
        user = model.objects.filter(pk=operator.id, is_active=True).first()
        if user is not None:
            # identity's user reads its admin access from its scopes: the token's decide, as
            # in every other admin.
            user.granted_scopes = operator.scopes  # type: ignore[attr-defined]
        return user
    # The admin greets an operator by first name; the e-mail is what they signed in with.
    named = {"email": operator.email, "first_name": operator.email}
    user, created = model.objects.get_or_create(
        username=operator.id,
        defaults={**named, "is_staff": True, "is_active": True, "password": make_password(None)},
    )
    if not created and (user.email, user.first_name) != (operator.email, operator.email):
        model.objects.filter(pk=user.pk).update(**named)
        user.email = user.first_name = operator.email
    return user


class RedirectKeepingMethod(HttpResponseRedirectBase):
    status_code = 307


class OperatorMiddleware(AuthenticationMiddleware):
    """Signs an admin request in from the access cookie, and nothing else in: outside the admin
    `request.user` is anonymous (the API authenticates by its bearer token).

    Without a valid cookie the browser goes to identity's renew page, which turns the refresh
    cookie into a new access cookie or shows the sign-in form; a token without this admin's
    access scope is refused with the reason. The admin's own login and logout pages lead to
    identity's, so signing out anywhere signs out everywhere.
    """

    # Django's never answers here; this one answers an admin request it cannot sign in.
    def process_request(self, request: HttpRequest) -> HttpResponse | None:  # type: ignore[override]
        request.user = AnonymousUser()
        admin_root = f"/{settings.SERVICE_NAME}/admin/"
        if not request.path.startswith(admin_root):
            return None
        if request.path == f"{admin_root}login/":
            back_to = request.GET.get("next") or admin_root
            return HttpResponseRedirect(
                identity_page(RENEW_PATH, back_to=return_address(request, back_to))
            )
        try:
            claims = token_claims(request.COOKIES.get(ACCESS_COOKIE, ""))
        except InvalidToken:
            return to_renew(request, back_to=return_address(request, request.get_full_path()))
        operator = Operator.from_claims(claims)
        if admin_access_scope(settings.SERVICE_NAME) not in operator.scopes:
            return refused(request, admin_root)
        user = operator_user(operator)
        if user is None:
            return refused(request, admin_root)
        request.user = user  # type: ignore[assignment]  # identity's own model, elsewhere User
        request.operator = operator  # type: ignore[attr-defined]
        timezone.activate(operator.timezone)
        return None

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """The admin's "Log out" (a POST its CSRF check has passed by now) goes on, as a POST,
        to identity's sign-out."""
        admin_root = f"/{settings.SERVICE_NAME}/admin/"
        if request.method == "POST" and request.path == f"{admin_root}logout/":
            back_to = return_address(request, admin_root)
            return RedirectKeepingMethod(identity_page(SIGN_OUT_PATH, back_to=back_to))
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # The thread serves other operators next.
        timezone.deactivate()
        return response


def to_renew(request: HttpRequest, *, back_to: str) -> HttpResponse:
    """To identity's renew page, for a fresh access cookie, and back to `back_to`.

    A form posted where identity shares this origin (behind the gateway) goes on as a POST, which
    renew sends back the same way: the browser posts it again and the operator's input is kept.
    Across origins (identity on a port of its own) the browser would post it back with
    `Origin: null`, which the CSRF check refuses: there it goes as a GET, and the page is shown
    again."""
    renew_page = identity_page(RENEW_PATH, back_to=back_to)
    if request.method == "POST" and not settings.IDENTITY_PUBLIC_URL:
        return RedirectKeepingMethod(renew_page)
    return HttpResponseRedirect(renew_page)


def refused(request: HttpRequest, admin_root: str) -> HttpResponse:
    back_to = return_address(request, admin_root)
    context = {
        "reason": NO_ADMIN_ACCESS,
        "sign_out_url": identity_page(SIGN_OUT_PATH, back_to=back_to),
        "title": "Refused",
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "operators/refused.html", context, status=403)


class ScopedPermissions:
    """Admin permissions from scopes: `read_scope` may look, `write_scope` may also add, change
    and delete. Without the write scope the change form has no save button."""

    read_scope: str = ""
    write_scope: str = ""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        scopes = operator_scopes(request)
        return self.read_scope in scopes or self.write_scope in scopes

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.write_scope in operator_scopes(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.write_scope in operator_scopes(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.write_scope in operator_scopes(request)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """Only the actions the operator's scopes allow: an action that needs one says which in
        its `required_scope` (common.audit.actions.confirmed_action)."""
        scopes = operator_scopes(request)
        actions: dict[str, Any] = super().get_actions(request)  # type: ignore[misc]
        return {
            name: action
            for name, action in actions.items()
            if getattr(action[0], "required_scope", None) in (None, *scopes)
        }


if TYPE_CHECKING:
    # The stubs make these generic in their models; Django's classes take no subscript.
    ModelAdmin = admin.ModelAdmin[Model]
    TabularInline = admin.TabularInline[Model, Model]
else:
    ModelAdmin = admin.ModelAdmin
    TabularInline = admin.TabularInline


class ScopedModelAdmin(ScopedPermissions, ModelAdmin):
    pass


class ScopedTabularInline(ScopedPermissions, TabularInline):
    pass


def rescope(model: type[Model], *, read_scope: str, write_scope: str = "") -> None:
    """Keeps a library's admin for `model` but takes its permissions from scopes."""
    library_admin = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    scoped = type(
        library_admin.__name__,
        (ScopedPermissions, library_admin),
        {"read_scope": read_scope, "write_scope": write_scope},
    )
    admin.site.register(model, scoped)
