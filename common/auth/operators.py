"""Operators in every service's admin: signed in by identity, allowed what their scopes say."""

from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest

from common.auth.scopes import admin_access_scope
from common.clients.identity import IdentityRefused, operator_claims

SESSION_SCOPES_KEY = "mercato_scopes"
NO_ADMIN_ACCESS = "This account may not use this admin."


def session_scopes(request: HttpRequest) -> frozenset[str]:
    return frozenset(request.session.get(SESSION_SCOPES_KEY, ()))


def remember_scopes(
    sender: type[AbstractBaseUser], request: HttpRequest, user: AbstractBaseUser, **kwargs: object
) -> None:
    """`user_logged_in` receiver: the admin decides by the scopes granted at sign-in."""
    request.session[SESSION_SCOPES_KEY] = sorted(getattr(user, "granted_scopes", ()))


class IdentitySignInBackend(ModelBackend):
    """Checks the e-mail and password with identity and keeps a password-less local user row,
    so the admin's log entries and sessions have a user to point at."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        try:
            claims = operator_claims(email=username, password=password)
        except IdentityRefused as refusal:
            refuse(request, str(refusal))
        scopes = frozenset(claims.get("scope", "").split())
        if admin_access_scope(settings.SERVICE_NAME) not in scopes:
            refuse(request, NO_ADMIN_ACCESS)
        email = claims.get("email", "")
        user, _ = get_user_model().objects.update_or_create(
            username=claims["sub"],
            # The admin greets an operator by first name; the e-mail is what they signed in with.
            defaults={"email": email, "first_name": email, "is_staff": True, "is_active": True},
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        # Carried to remember_scopes, which the user_logged_in signal hands this same object.
        user.granted_scopes = scopes  # type: ignore[attr-defined]
        return user


def refuse(request: HttpRequest | None, reason: str) -> NoReturn:
    """PermissionDenied stops Django from trying another backend; the form shows `reason`."""
    if request is not None:
        # The login form reads it back from the request it was given (OperatorLoginForm.clean).
        request.sign_in_refusal = reason  # type: ignore[attr-defined]
    raise PermissionDenied


class OperatorLoginForm(AdminAuthenticationForm):
    """The admin login form, showing why identity refused instead of a generic message."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Please enter the correct e-mail and password of an operator account.",
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(self.request, "sign_in_refusal", None)
            if refusal:
                raise ValidationError(refusal, code="refused") from None
            raise

    def confirm_login_allowed(self, user: User) -> None:
        if not user.is_active or not user.is_staff:
            raise ValidationError(NO_ADMIN_ACCESS, code="no_admin_access")


class ScopedPermissions:
    """Admin permissions from scopes: `read_scope` may look, `write_scope` may also add, change
    and delete. Without the write scope the change form has no save button."""

    read_scope: str = ""
    write_scope: str = ""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        scopes = session_scopes(request)
        return self.read_scope in scopes or self.write_scope in scopes

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.write_scope in session_scopes(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.write_scope in session_scopes(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.write_scope in session_scopes(request)


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
