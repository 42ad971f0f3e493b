"""Settings of the notifications service: the shared base, e-mail and webhook delivery."""

import os

from django.conf import global_settings

from common.settings import environment
from common.settings.base import *  # noqa: F403
from common.settings.base import CELERY_BEAT_SCHEDULE, DEBUG, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "apps.notifications"]
# People by e-mail in the admin: the recipients directory, kept from the same events.
PEOPLE_MODEL = "notifications.Recipient"

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "webhook-sweep": {
        "task": "notifications.webhook_deliveries_sweep",
        "schedule": environment.integer("WEBHOOK_SWEEP_SECONDS", default=60, minimum=1),
    },
}


def local_email_url() -> str | None:
    """Under DEBUG, mail goes to files under MERCATO_HOME (or the console); production must say."""
    if not DEBUG:
        return None
    home = os.environ.get("MERCATO_HOME")
    return f"filemail://{os.path.abspath(home)}/mail" if home else "consolemail://"


# What EMAIL_URL leaves out (the port, a login) keeps Django's default.
email = environment.email_url("EMAIL_URL", default=local_email_url())
EMAIL_BACKEND = email["EMAIL_BACKEND"]
EMAIL_HOST = email.get("EMAIL_HOST", global_settings.EMAIL_HOST)
EMAIL_PORT = email.get("EMAIL_PORT", global_settings.EMAIL_PORT)
EMAIL_HOST_USER = email.get("EMAIL_HOST_USER", global_settings.EMAIL_HOST_USER)
EMAIL_HOST_PASSWORD = email.get("EMAIL_HOST_PASSWORD", global_settings.EMAIL_HOST_PASSWORD)
EMAIL_USE_TLS = email.get("EMAIL_USE_TLS", global_settings.EMAIL_USE_TLS)
EMAIL_USE_SSL = email.get("EMAIL_USE_SSL", global_settings.EMAIL_USE_SSL)
EMAIL_FILE_PATH = email.get("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = environment.text("DEFAULT_FROM_EMAIL", default="Mercato <shop@mercato.local>")
# A hung SMTP server fails the handler, which is retried, instead of holding a worker forever.
EMAIL_TIMEOUT = environment.integer("EMAIL_TIMEOUT_SECONDS", default=10, minimum=1)

# Local development and tests point webhooks at 127.0.0.1; production never should. `make run`
# allows loopback only (a receiver on the developer's machine), the e2e suite any private address.
WEBHOOK_ALLOW_PRIVATE_TARGETS = environment.boolean("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_ALLOW_LOOPBACK_TARGETS = environment.boolean(
    "WEBHOOK_ALLOW_LOOPBACK_TARGETS", default=False
)
WEBHOOK_MAX_ATTEMPTS = environment.integer("WEBHOOK_MAX_ATTEMPTS", default=8, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = environment.integer("WEBHOOK_TIMEOUT_SECONDS", default=5, minimum=1)
WEBHOOK_RETRY_BACKOFF_SECONDS = environment.integer("WEBHOOK_RETRY_BACKOFF_SECONDS", default=5)
WEBHOOK_RETRY_MAXIMUM_SECONDS = environment.integer(
    "WEBHOOK_RETRY_MAXIMUM_SECONDS", default=3600, minimum=1
)
