"""App config of identity's accounts: default roles and a signing key exist after every migrate."""

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate


def ensure_roles_and_keys(sender, using, **kwargs) -> None:
    from apps.accounts.services import roles_ensure_defaults, signing_keys_ensure

    roles_ensure_defaults()
    directory = settings.JWT_SIGNING_KEYS_DIR
    signing_keys_ensure(directory=Path(directory) if directory else None)


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(ensure_roles_and_keys, sender=self)
