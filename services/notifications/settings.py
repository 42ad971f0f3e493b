"""Settings of the notifications service: the shared base, e-mail and webhook delivery."""

import os

from common.settings import environment, service_settings

base = service_settings(
    service="notifications",
    apps=["apps.notifications"],
    periodic_tasks={
        "webhook-sweep": {
            "task": "notifications.webhook_deliveries_sweep",
            "schedule": environment.integer("WEBHOOK_SWEEP_SECONDS", default=60, minimum=1),
        }
    },
)
globals().update(base)


def local_email_url() -> str | None:
    """Under DEBUG, mail goes to files under MERCATO_HOME (or the console); production must say."""
    if not base["DEBUG"]:
        return None
    home = os.environ.get("MERCATO_HOME")
    return f"filemail://{os.path.abspath(home)}/mail" if home else "consolemail://"


globals().update(environment.email_url("EMAIL_URL", default=local_email_url()))
DEFAULT_FROM_EMAIL = environment.text("DEFAULT_FROM_EMAIL", default="Mercato <shop@mercato.local>")
# A hung SMTP server fails the handler, which is retried, instead of holding a worker forever.
EMAIL_TIMEOUT = environment.integer("EMAIL_TIMEOUT_SECONDS", default=10, minimum=1)

# Local development and tests point webhooks at 127.0.0.1; production never should.
WEBHOOK_ALLOW_PRIVATE_TARGETS = environment.boolean("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_MAX_ATTEMPTS = environment.integer("WEBHOOK_MAX_ATTEMPTS", default=8, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = environment.integer("WEBHOOK_TIMEOUT_SECONDS", default=5, minimum=1)
WEBHOOK_RETRY_BACKOFF_SECONDS = environment.integer("WEBHOOK_RETRY_BACKOFF_SECONDS", default=5)
WEBHOOK_RETRY_MAXIMUM_SECONDS = environment.integer(
    "WEBHOOK_RETRY_MAXIMUM_SECONDS", default=3600, minimum=1
)
