"""Operators in every service's admin: signed in by identity, allowed what their scopes say."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

from common.auth.scopes import admin_access_scope
from common.clients.identity import IdentityRefused, operator_claims

SESSION_SCOPES_KEY = "mercato_scopes"
NO_ADMIN_ACCESS = "This account may not use this admin."


def session_scopes(request) -> frozenset[str]:
    return frozenset(request.session.get(SESSION_SCOPES_KEY, ()))


def remember_scopes(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: the admin decides by the scopes granted at sign-in."""
    request.session[SESSION_SCOPES_KEY] = sorted(getattr(user, "granted_scopes", ()))


class IdentitySignInBackend(ModelBackend):
    """Checks the e-mail and password with identity and keeps a password-less local user row,
    so the admin's log entries and sessions have a user to point at."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        try:
            claims = operator_claims(email=username, password=password)
        except IdentityRefused as refusal:
            # PermissionDenied stops Django from trying another backend; the form shows the reason.
            request.sign_in_refusal = str(refusal)
            raise PermissionDenied from None
        scopes = frozenset(claims.get("scope", "").split())
        if admin_access_scope(settings.SERVICE_NAME) not in scopes:
            request.sign_in_refusal = NO_ADMIN_ACCESS
            raise PermissionDenied
        email = claims.get("email", "")
        user, _ = get_user_model().objects.update_or_create(
            username=claims["sub"],
            # The admin greets an operator by first name; the e-mail is what they signed in with.
            defaults={"email": email, "first_name": email, "is_staff": True, "is_active": True},
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.granted_scopes = scopes
        return user


class OperatorLoginForm(AdminAuthenticationForm):
    """The admin login form, showing why identity refused instead of a generic message."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Please enter the correct e-mail and password of an operator account.",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(self.request, "sign_in_refusal", None)
            if refusal:
                raise ValidationError(refusal, code="refused") from None
            raise

    def confirm_login_allowed(self, user) -> None:
        if not user.is_active or not user.is_staff:
            raise ValidationError(NO_ADMIN_ACCESS, code="no_admin_access")


class ScopedPermissions:
    """Admin permissions from scopes: `read_scope` may look, `write_scope` may also add, change
    and delete. Without the write scope the change form has no save button."""

    read_scope: str = ""
    write_scope: str = ""

    def has_view_permission(self, request, obj=None) -> bool:
        scopes = session_scopes(request)
        return self.read_scope in scopes or self.write_scope in scopes

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.write_scope in session_scopes(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.write_scope in session_scopes(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.write_scope in session_scopes(request)


class ScopedModelAdmin(ScopedPermissions, admin.ModelAdmin):
    pass


class ScopedTabularInline(ScopedPermissions, admin.TabularInline):
    pass


def rescope(model, *, read_scope: str, write_scope: str = "") -> None:
    """Keeps a library's admin for `model` but takes its permissions from scopes."""
    library_admin = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    scoped = type(
        library_admin.__name__,
        (ScopedPermissions, library_admin),
        {"read_scope": read_scope, "write_scope": write_scope},
    )
    admin.site.register(model, scoped)
