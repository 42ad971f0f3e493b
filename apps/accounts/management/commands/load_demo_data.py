"""`./manage.py identity load_demo_data`: the demo operators and customer, safe to run again."""

from django.core.management.base import BaseCommand

from apps.accounts.services import user_ensure

DEMO_PASSWORD = "mercato-demo"
DEMO_USERS = (
    ("admin@mercato.local", "Ada Admin", {"is_staff": True, "is_superuser": True}),
    ("manager@mercato.local", "Max Manager", {"is_staff": True}),
    ("support@mercato.local", "Sam Support", {"is_staff": True}),
    ("finance@mercato.local", "Fay Finance", {"is_staff": True}),
    ("customer@mercato.local", "Cleo Customer", {}),
)


class Command(BaseCommand):
    help = "Creates the demo users (password mercato-demo) unless they exist."

    def handle(self, *args, **options) -> None:
        for email, full_name, flags in DEMO_USERS:
            user_ensure(email=email, password=DEMO_PASSWORD, full_name=full_name, **flags)
            self.stdout.write(f"{email:<24} {full_name}")
        self.stdout.write(f"{len(DEMO_USERS)} demo users present, password {DEMO_PASSWORD}")
