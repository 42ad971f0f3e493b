"""App config of identity's accounts: after every migrate the default roles, a signing key and the
mounted service accounts exist; failed sign-ins and lockouts are counted."""

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate


def ensure_roles_keys_and_service_accounts(sender, using, **kwargs) -> None:
    from apps.accounts.services import (
        roles_ensure_defaults,
        service_accounts_ensure,
        signing_keys_ensure,
    )

    roles_ensure_defaults()
    keys_directory = settings.JWT_SIGNING_KEYS_DIR
    signing_keys_ensure(directory=Path(keys_directory) if keys_directory else None)
    if settings.SERVICE_ACCOUNT_SECRETS_DIR:
        service_accounts_ensure(directory=Path(settings.SERVICE_ACCOUNT_SECRETS_DIR))


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from apps.accounts.metrics import sign_in_failed, sign_in_locked_out

        post_migrate.connect(ensure_roles_keys_and_service_accounts, sender=self)
        user_login_failed.connect(sign_in_failed, dispatch_uid="mercato.sign_in_failed")
        user_locked_out.connect(sign_in_locked_out, dispatch_uid="mercato.sign_in_locked_out")
