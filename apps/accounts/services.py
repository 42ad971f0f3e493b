"""Identity commands: every change to users, roles, service accounts, keys and tokens goes here."""

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import status
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import Token

from apps.accounts.keys import new_private_key, private_key_pem, published_signing_keys
from apps.accounts.models import Role, ServiceAccount, SigningKey, User, scopes_of
from apps.accounts.roles import CUSTOMER_ROLE, DEFAULT_ROLES
from apps.accounts.tokens import AccessToken, RefreshToken
from common.auth.keys import public_jwk
from common.auth.users import SERVICE_SUBJECT_PREFIX
from common.errors import ApplicationError
from common.events.outbox import publish

INVALID_CREDENTIALS = "No active account has this e-mail and password."
INVALID_CLIENT = "No active service account has this client id and secret."
EMAIL_TAKEN = "An account with this e-mail already exists."
REFRESH_INVALID = "The refresh token is invalid, expired, revoked or already used."
WRONG_PASSWORD = "The current password is wrong."
NOT_THE_SIGNER = "Only the key signing now is rotated; this one is retired already."


SignedToken = TypeVar("SignedToken", bound=Token)


def unauthorized(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, status=status.HTTP_401_UNAUTHORIZED, code=code)


def token_pair_for(user: User) -> dict[str, str]:
    """A refresh token and its access token, carrying the user's roles and scopes as of now."""
    refresh = with_roles(RefreshToken.for_user(user), roles=list(user.roles.all()))
    refresh["email"] = user.email
    refresh["zoneinfo"] = user.timezone
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def with_roles(token: SignedToken, *, roles: list[Role]) -> SignedToken:
    """`token` carrying the roles' names and the union of their permissions as its scope."""
    token["roles"] = sorted(role.name for role in roles)
    token["scope"] = " ".join(sorted(scopes_of(roles)))
    return token


def token_pair_obtain(*, request: HttpRequest, email: str, password: str) -> dict[str, str]:
    """Checks the password through Django's backends, so django-axes counts every failure and
    refuses a locked account (its middleware then answers for it). A success is announced as
    Django's login() would: django-axes logs it and clears the account's failures, and the user's
    last_login is set."""
    user = authenticate(request=request, email=email, password=password)
    if not isinstance(user, User) or not user.is_active:
        raise unauthorized(INVALID_CREDENTIALS, "invalid_credentials")
    user_logged_in.send(sender=User, request=request, user=user)
    return token_pair_for(user)


@transaction.atomic
def token_refresh(*, refresh: str) -> dict[str, str]:
    """Rotates: the used refresh token is blacklisted, so a second use of it is refused."""
    try:
        # simplejwt annotates its argument as a Token; it takes the encoded string.
        used = RefreshToken(refresh)  # type: ignore[arg-type]
    except TokenError:
        raise unauthorized(REFRESH_INVALID, "token_not_valid") from None
    user = User.objects.filter(id=used["sub"], is_active=True).first()
    # simplejwt annotates blacklist() as the row; it returns get_or_create's (row, created).
    first_use: bool
    _, first_use = used.blacklist()  # type: ignore[misc]
    if user is None or not first_use:  # not first_use: a concurrent refresh won the race
        raise unauthorized(REFRESH_INVALID, "token_not_valid")
    return token_pair_for(user)


@transaction.atomic
def token_revoke(*, refresh: str) -> None:
    try:
        RefreshToken(refresh).blacklist()  # type: ignore[arg-type]  # a string, as above
    except TokenError:
        raise unauthorized(REFRESH_INVALID, "token_not_valid") from None


def service_token_obtain(*, client_id: str, client_secret: str) -> dict[str, str]:
    account = ServiceAccount.objects.filter(name=client_id, is_active=True).first()
    if account is None or not account.check_secret(client_secret):
        raise unauthorized(INVALID_CLIENT, "invalid_client")
    access = with_roles(AccessToken(), roles=list(account.roles.all()))
    access["sub"] = f"{SERVICE_SUBJECT_PREFIX}{account.name}"
    return {"access": str(access)}


@transaction.atomic
def user_register(*, email: str, password: str, full_name: str = "") -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(EMAIL_TAKEN, code="email_taken", errors={"email": [EMAIL_TAKEN]})
    candidate = User(email=email.lower(), full_name=full_name)
    validate_password(password, user=candidate)
    user = User.objects.create_user(email, password, full_name=full_name)
    user.roles.add(Role.objects.get(name=CUSTOMER_ROLE))
    user_announce(user=user, event_type="user.registered")
    return user


def user_announce(*, user: User, event_type: str) -> None:
    """Tells the other services (notifications keeps a directory) who this person is now."""
    publish(event_type, {"user_id": str(user.id), "email": user.email, "full_name": user.full_name})


def validate_password(password: str, *, user: User, field: str = "password") -> None:
    try:
        # The stubs take the user model from the type-check settings, Django's own User; identity's
        # AUTH_USER_MODEL is this accounts.User.
        password_validation.validate_password(password, user=user)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ApplicationError(
            "The password is too weak.", code="weak_password", errors={field: error.messages}
        ) from None


@transaction.atomic
def user_update(
    *,
    user: User,
    full_name: str | None = None,
    is_active: bool | None = None,
    roles: list[Role] | None = None,
    timezone: str | None = None,
) -> User:
    """A user deactivated here has every refresh token revoked with it."""
    renamed = full_name is not None and full_name != user.full_name
    deactivated = is_active is False and user.is_active
    if full_name is not None:
        user.full_name = full_name
    if timezone is not None:
        user.timezone = timezone
    if is_active is not None:
        user.is_active = is_active
    user.save()
    if roles is not None:
        user.roles.set(roles)
    if renamed:
        user_announce(user=user, event_type="user.updated")
    if deactivated:
        user_tokens_revoke(user=user)
    return user


def user_tokens_revoke(*, user: User) -> int:
    """Blacklists every refresh token of `user` not blacklisted yet and returns how many; the
    access tokens already out expire on their own within ACCESS_TOKEN_LIFETIME."""
    live = OutstandingToken.objects.filter(user_id=str(user.pk), blacklistedtoken__isnull=True)
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(revoked)


@transaction.atomic
def user_password_change(*, user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise ApplicationError(
            WRONG_PASSWORD, code="wrong_password", errors={"current_password": [WRONG_PASSWORD]}
        )
    validate_password(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])


@transaction.atomic
def user_ensure(
    *, email: str, password: str, full_name: str = "", roles: Sequence[str] = ()
) -> User:
    """The user with `email`, created with these fields if missing; roles are added, never taken."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password, full_name=full_name)
        user_announce(user=user, event_type="user.registered")
    user.roles.add(*Role.objects.filter(name__in=roles))
    return user


@transaction.atomic
def roles_ensure_defaults() -> None:
    """Creates the default roles that are missing; roles operators have edited stay as they are."""
    for name, (description, permissions) in DEFAULT_ROLES.items():
        Role.objects.get_or_create(
            name=name, defaults={"description": description, "permissions": sorted(permissions)}
        )


@transaction.atomic
def service_account_ensure(*, name: str, secret: str, roles: list[str]) -> ServiceAccount:
    """The service account `name`, made with `roles` if missing, and holding `secret` from now on.
    An existing account keeps its roles: operators edit them in the admin."""
    account = ServiceAccount.objects.filter(name=name).first()
    if account is None:
        account = ServiceAccount(name=name)
        account.set_secret(secret)
        account.save()
        account.roles.set(Role.objects.filter(name__in=roles))
    elif not account.check_secret(secret):
        account.set_secret(secret)
        account.save(update_fields=["secret_hash"])
    return account


def service_accounts_ensure(*, directory: Path) -> None:
    """One account per file in `directory`, named by the file and holding its content as the
    secret (Kubernetes mounts each service's client secret there)."""
    for path in sorted(directory.iterdir()):
        if not path.name.startswith(".") and path.is_file():
            service_account_ensure(
                name=path.name,
                secret=path.read_text().strip(),
                roles=[f"service_{path.name}"],
            )


@transaction.atomic
def signing_key_add(*, private_key: rsa.RSAPrivateKey | None = None) -> SigningKey:
    """Publishes `private_key` (a new one by default) and makes it the signer once every service
    can have fetched the JWKS (`JWT_KEY_PUBLISH_AHEAD_SECONDS`), or at once when nothing signs
    yet. The key it replaces stays published until its tokens expire; keys whose tokens have all
    expired are deleted."""
    private_key = private_key or new_private_key()
    jwk = public_jwk(private_key)
    now = timezone.now()
    current = SigningKey.objects.select_for_update().filter(retired_at__isnull=True)
    lead = timedelta(seconds=settings.JWT_KEY_PUBLISH_AHEAD_SECONDS)
    signs_from = now + lead if current.exists() else now
    current.update(retired_at=signs_from)
    SigningKey.objects.exclude(pk__in=published_signing_keys(now=now).values("pk")).delete()
    key, _ = SigningKey.objects.update_or_create(
        kid=jwk["kid"],
        defaults={
            "private_key_pem": private_key_pem(private_key),
            "public_jwk": jwk,
            "created_at": now,
            "signs_from": signs_from,
            "retired_at": None,
        },
    )
    return key


@transaction.atomic
def signing_key_rotate(*, current: SigningKey) -> SigningKey:
    """signing_key_add, asked for by naming the key that signs now: a key retired already is
    refused (409), so a rotation asked for twice in a row makes one new key."""
    if SigningKey.objects.select_for_update().get(pk=current.pk).retired_at is not None:
        raise ApplicationError(NOT_THE_SIGNER, status=409, code="signing_key_retired")
    return signing_key_add()


@transaction.atomic
def signing_keys_ensure(*, directory: Path | None) -> None:
    """Imports the PEM files in `directory` that identity does not have yet (a Kubernetes Secret
    mounts keys there), then makes sure some key can sign."""
    for path in sorted(directory.glob("*.pem")) if directory else ():
        private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError(f"{path} is not an RSA private key; tokens are signed with RS256.")
        if not SigningKey.objects.filter(kid=public_jwk(private_key)["kid"]).exists():
            signing_key_add(private_key=private_key)
    if not SigningKey.objects.filter(retired_at__isnull=True).exists():
        signing_key_add()
