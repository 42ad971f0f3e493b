"""Identity's rows for the admin list-page tests (tests/every_service/test_admin_list_pages.py)."""

import uuid
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.accounts.models import Role, ServiceAccount, SigningKey, User
from tests.every_service.admin_rows import SHARED_ROWS, user_ids


def users(count: int) -> list[User]:
    return User.objects.bulk_create(
        User(id=user_id, email=f"{user_id}@mercato.test", full_name="Someone")
        for user_id in user_ids(count)
    )


def roles(count: int) -> None:
    Role.objects.bulk_create(
        Role(name=f"role-{uuid.uuid4().hex[:12]}", permissions=["orders.order.read"])
        for _ in range(count)
    )


def service_accounts(count: int) -> None:
    ServiceAccount.objects.bulk_create(
        ServiceAccount(name=f"service-{uuid.uuid4().hex[:12]}", secret_hash="!")
        for _ in range(count)
    )


def signing_keys(count: int) -> None:
    SigningKey.objects.bulk_create(
        SigningKey(kid=uuid.uuid4().hex, private_key_pem="", public_jwk={}) for _ in range(count)
    )


def access_rows(model: type[AccessLog | AccessFailureLog | AccessAttempt], count: int) -> None:
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
    model.objects.bulk_create(
        model(
            user_agent="curl",
            ip_address="192.0.2.1",
            username=f"{uuid.uuid4()}@mercato.test",
            http_accept="*/*",
            path_info="/identity/admin/login/",
            **(extra if model is AccessAttempt else {}),
        )
        for _ in range(count)
    )


def outstanding_tokens(count: int) -> list[OutstandingToken]:
    return OutstandingToken.objects.bulk_create(
        OutstandingToken(
            user=user,
            jti=uuid.uuid4().hex,
            token="token",
            created_at=timezone.now(),
            expires_at=timezone.now() + timedelta(days=1),
        )
        for user in users(count)
    )


def blacklisted_tokens(count: int) -> None:
    BlacklistedToken.objects.bulk_create(
        BlacklistedToken(token=token) for token in outstanding_tokens(count)
    )


ROWS = {
    **SHARED_ROWS,
    User: users,
    Role: roles,
    ServiceAccount: service_accounts,
    SigningKey: signing_keys,
    AccessAttempt: lambda count: access_rows(AccessAttempt, count),
    AccessLog: lambda count: access_rows(AccessLog, count),
    AccessFailureLog: lambda count: access_rows(AccessFailureLog, count),
    OutstandingToken: outstanding_tokens,
    BlacklistedToken: blacklisted_tokens,
}
LARGE = (User,)
