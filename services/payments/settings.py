"""Settings of the payments service: the shared base, the apps it owns and its provider."""

from common.settings import environment
from common.settings.base import *  # noqa: F403
from common.settings.base import CELERY_BEAT_SCHEDULE, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "common.operator_admin.people", "apps.payments"]

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "resume-stalled-payments": {
        "task": "apps.payments.tasks.payment_resume_stalled_task",
        "schedule": environment.integer("PAYMENT_RESUME_SWEEP_SECONDS", default=60, minimum=1),
    },
}

# The adapter new payments use (apps/payments/providers); a payment keeps its own for refunds.
PAYMENTS_PROVIDER = environment.choice("PAYMENTS_PROVIDER", default="sandbox", choices=("sandbox",))
# Where the sandbox provider makes a round trip before answering (empty: it answers at once), and
# how long any provider call may wait for an answer before the provider counts as unavailable.
PAYMENTS_SANDBOX_URL = environment.optional_text("PAYMENTS_SANDBOX_URL", default="")
PAYMENTS_PROVIDER_TIMEOUT_SECONDS = environment.integer(
    "PAYMENTS_PROVIDER_TIMEOUT_SECONDS", default=10, minimum=1
)
# Retries of a provider call that failed transiently, with exponential backoff and jitter,
# before the charge fails as `provider_unavailable`.
PAYMENT_MAX_RETRIES = environment.integer("PAYMENT_MAX_RETRIES", default=5)
# A payment left PENDING (or a requested refund left undone) this long without a provider
# attempt has lost its task (e.g. the broker was down at commit); the sweep queues it again.
PAYMENT_STALLED_SECONDS = environment.integer("PAYMENT_STALLED_SECONDS", default=300, minimum=60)
