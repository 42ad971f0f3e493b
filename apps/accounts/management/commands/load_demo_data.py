"""`./manage.py identity load_demo_data`: demo people with their roles and the service accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts.services import service_account_ensure, user_ensure
from common.settings.derived import local_development_secret
from services import SERVICE_NAMES

DEMO_PASSWORD = "mercato-demo"
DEMO_USERS = (
    ("admin@mercato.local", "Ada Admin", "admin"),
    ("manager@mercato.local", "Max Manager", "catalog_manager"),
    ("support@mercato.local", "Sam Support", "support"),
    ("finance@mercato.local", "Fay Finance", "finance"),
    ("customer@mercato.local", "Cleo Customer", "customer"),
)


class Command(BaseCommand):
    help = "Creates the demo users (password mercato-demo) and local service accounts."

    def handle(self, *args, **options) -> None:
        for email, full_name, role in DEMO_USERS:
            user_ensure(email=email, password=DEMO_PASSWORD, full_name=full_name, roles=[role])
            self.stdout.write(f"{email:<24} {full_name:<14} {role}")
        self.stdout.write(f"{len(DEMO_USERS)} demo users present, password {DEMO_PASSWORD}")
        for service in SERVICE_NAMES:
            if service != settings.SERVICE_NAME:
                service_account_ensure(
                    name=service,
                    secret=local_development_secret(service),
                    roles=[f"service_{service}"],
                )
