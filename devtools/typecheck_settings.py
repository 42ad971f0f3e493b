"""Settings the type checker loads: every service's apps in one project, needing no environment."""

import os

from common.events.apps import EventsConfig

# Type checking reads the models and connects to nothing, so placeholders stand in for the
# connection settings a running service must be given.
for name, placeholder in {
    "DATABASE_URL": "postgres://typecheck@localhost/typecheck",
    "REDIS_URL": "redis://localhost/0",
    "SECRET_KEY": "typecheck-only",
    "EMAIL_URL": "dummymail://",
}.items():
    os.environ.setdefault(name, placeholder)
# Settings that learn their service from DJANGO_SETTINGS_MODULE, which names this module here,
# load once as identity's; then each service adds what it owns.
os.environ["DJANGO_SETTINGS_MODULE"] = "services.identity.settings"

# Each service adds its own settings to the shared ones; which one is imported last matters not.
from services.catalog import settings as catalog  # noqa: E402
from services.catalog.settings import *  # noqa: E402, F403
from services.identity import settings as identity  # noqa: E402
from services.identity.settings import *  # noqa: E402, F403
from services.notifications import settings as notifications  # noqa: E402
from services.notifications.settings import *  # noqa: E402, F403
from services.orders import settings as orders  # noqa: E402
from services.orders.settings import *  # noqa: E402, F403
from services.payments import settings as payments  # noqa: E402
from services.payments.settings import *  # noqa: E402, F403


class EventModelsConfig(EventsConfig):
    """The events app without its start-up check, which holds one service's handlers against
    that service's subscriptions and so fails with every service's handlers loaded at once."""

    def ready(self) -> None:
        pass


INSTALLED_APPS = [
    f"{__name__}.{EventModelsConfig.__name__}" if app == EventsConfig.name else app
    for app in dict.fromkeys(
        app
        for service in (catalog, identity, notifications, orders, payments)
        for app in service.INSTALLED_APPS
    )
]
# Four services keep Django's own user for their operators (common.auth.operators makes them);
# identity's code names its accounts.User directly.
AUTH_USER_MODEL = "auth.User"
