"""Identity's admin: operators manage users, roles, service accounts and signing keys here."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.postgres.forms import SimpleArrayField
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.accounts.models import Role, ServiceAccount, SigningKey, User
from apps.accounts.scopes import (
    ROLE_READ,
    ROLE_WRITE,
    SERVICE_ACCOUNT_WRITE,
    SIGNING_KEY_ROTATE,
    USER_READ,
    USER_WRITE,
)
from apps.accounts.services import (
    signing_key_rotate,
    user_announce,
    user_tokens_revoke,
    user_update,
)
from common.audit.actions import Actor, confirmed_action
from common.auth.operators import ScopedModelAdmin, rescope

# Unlocking an account is deleting its access attempts.
rescope(AccessAttempt, read_scope=USER_READ, write_scope=USER_WRITE)
for read_only_model in (AccessLog, AccessFailureLog, OutstandingToken, BlacklistedToken):
    rescope(read_only_model, read_scope=USER_READ)


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    read_scope = USER_READ
    write_scope = USER_WRITE
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "date_joined")
    list_filter = ("is_active", "roles")
    search_fields = ("email", "full_name")
    filter_horizontal = ("roles",)
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name", "timezone")}),
        ("Access", {"fields": ("is_active", "roles")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "roles")}),
    )
    actions = ("deactivate",)

    @confirmed_action(
        action="identity.user.deactivate",
        description="Deactivate the selected users and revoke their tokens",
        scope=USER_WRITE,
        fields=("is_active",),
        done="deactivated, its refresh tokens revoked",
    )
    def deactivate(self, user: User, actor: Actor) -> None:
        user_update(user=user, is_active=False)

    def save_model(self, request, obj, form, change) -> None:
        """People added or renamed here are announced like those registered through the API
        (the admin saves inside a transaction, so the event commits with the change); people
        deactivated here lose their refresh tokens as through the API."""
        super().save_model(request, obj, form, change)
        if not change:
            user_announce(user=obj, event_type="user.registered")
        elif {"email", "full_name"} & set(form.changed_data):
            user_announce(user=obj, event_type="user.updated")
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_tokens_revoke(user=obj)


class RoleForm(forms.ModelForm):
    permissions = SimpleArrayField(
        forms.CharField(),
        delimiter="\n",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="One permission per line, as <service>.<resource>.<action>.",
    )

    class Meta:
        model = Role
        fields = ("name", "description", "permissions")


@admin.register(Role)
class RoleAdmin(ScopedModelAdmin):
    read_scope = ROLE_READ
    write_scope = ROLE_WRITE
    form = RoleForm
    list_display = ("name", "description")
    search_fields = ("name",)


class ServiceAccountForm(forms.ModelForm):
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput,
        help_text="Set a new client secret; leave empty to keep the current one.",
    )

    class Meta:
        model = ServiceAccount
        fields = ("name", "roles", "is_active")

    def save(self, commit=True):
        if self.cleaned_data["secret"]:
            self.instance.set_secret(self.cleaned_data["secret"])
        return super().save(commit=commit)


@admin.register(ServiceAccount)
class ServiceAccountAdmin(ScopedModelAdmin):
    read_scope = write_scope = SERVICE_ACCOUNT_WRITE
    form = ServiceAccountForm
    list_display = ("name", "is_active", "created_at")
    filter_horizontal = ("roles",)


@admin.register(SigningKey)
class SigningKeyAdmin(ScopedModelAdmin):
    """Read-only: keys are added by rotating the current one, here or with
    `./manage.py identity rotate_signing_key`."""

    read_scope = SIGNING_KEY_ROTATE
    list_display = ("kid", "created_at", "retired_at")
    fields = ("kid", "public_jwk", "created_at", "retired_at")
    readonly_fields = fields
    actions = ("rotate",)

    @confirmed_action(
        action="identity.signing_key.rotate",
        description="Rotate the selected signing key",
        scope=SIGNING_KEY_ROTATE,
        fields=("kid", "signs_from", "retired_at"),
        done="rotated",
    )
    def rotate(self, key: SigningKey, actor: Actor) -> dict[str, object]:
        successor = signing_key_rotate(current=key)
        return {"successor_kid": successor.kid, "successor_signs_from": successor.signs_from}
