"""`./manage.py identity rotate_signing_key`: a new key signs from now on; old tokens stay valid."""

from django.core.management.base import BaseCommand

from apps.accounts.services import signing_key_add


class Command(BaseCommand):
    help = (
        "Publishes a new signing key, which signs once every service can have fetched it. "
        "Earlier keys stay published in the JWKS until the tokens they signed have expired."
    )

    def handle(self, *args, **options) -> None:
        key = signing_key_add()
        self.stdout.write(f"published {key.kid}; it signs from {key.signs_from.isoformat()}")
