"""Identity's records: users, roles, service accounts and the keys that sign tokens."""

import uuid
from collections.abc import Iterable
from functools import cached_property

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from apps.accounts.scopes import IDENTITY_ADMIN_ACCESS
from common.timezones import timezone_names

ADMIN_ROLE = "admin"

permission_format = RegexValidator(
    r"^[a-z_]+\.[a-z_]+\.[a-z_]+$", "Permissions look like <service>.<resource>.<action>."
)


class Role(models.Model):
    """A named set of permission strings; operators edit roles in identity's admin."""

    name = models.SlugField(max_length=50, unique=True)
    description = models.CharField(max_length=200, blank=True)
    permissions = ArrayField(
        models.CharField(max_length=100, validators=[permission_format]), default=list, blank=True
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


def validate_timezone(name: str) -> None:
    if name not in timezone_names():
        raise ValidationError(f"{name!r} is not a time zone of the IANA database (Europe/Paris).")


def scopes_of(roles: Iterable["Role"]) -> frozenset[str]:
    return frozenset(permission for role in roles for permission in role.permissions)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        """What `createsuperuser` calls: a user holding the admin role."""
        user = self.create_user(email, password, **fields)
        user.roles.add(Role.objects.get(name=ADMIN_ROLE))
        return user


class User(AbstractBaseUser):
    """A person. What they may do comes from their roles alone, in every service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # The admins show times in it; tokens carry it as the OIDC `zoneinfo` claim. The column's own
    # default serves the previous release's pods, which insert users without it during a deploy.
    timezone = models.CharField(
        max_length=64, default="UTC", db_default="UTC", validators=[validate_timezone]
    )
    roles = models.ManyToManyField(Role, related_name="users", blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.email

    @cached_property
    def granted_scopes(self) -> frozenset[str]:
        return scopes_of(self.roles.all())

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        """Django's permission tables are unused: every admin checks scopes instead."""
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False

    @property
    def is_staff(self) -> bool:
        """Django's admin asks this; identity's admin is open to roles granting its access."""
        return IDENTITY_ADMIN_ACCESS in self.granted_scopes


class ServiceAccount(models.Model):
    """A service calling another: it signs in with a client id and secret, never as a person."""

    name = models.SlugField(max_length=50, unique=True, help_text="The client id.")
    secret_hash = models.CharField(max_length=256)
    roles = models.ManyToManyField(Role, related_name="service_accounts", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    def set_secret(self, secret: str) -> None:
        self.secret_hash = make_password(secret)

    def check_secret(self, secret: str) -> bool:
        return check_password(secret, self.secret_hash)


class SigningKey(models.Model):
    """An RSA key that signs tokens. A new key is published at once but signs only from
    `signs_from`, once every service can have fetched it; the key it replaces is retired then and
    stays published until every token it signed has expired."""

    kid = models.CharField(max_length=64, primary_key=True, help_text="RFC 7638 thumbprint.")
    private_key_pem = models.TextField()
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    signs_from = models.DateTimeField(default=timezone.now, db_index=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-signs_from",)

    def __str__(self) -> str:
        return self.kid
