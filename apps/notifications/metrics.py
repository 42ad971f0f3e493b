"""Notifications' metrics: e-mails sent or failed, and webhook delivery attempts by outcome."""

from prometheus_client import Counter

from apps.notifications.models import DeliveryStatus
from common.observability.metrics import count_on_commit

SENT = "sent"
FAILED = "failed"
# A webhook attempt's outcome, by the status it left its delivery in.
ATTEMPT_OUTCOMES: dict[str, str] = {
    DeliveryStatus.SUCCEEDED: "succeeded",
    DeliveryStatus.PENDING: "retrying",
    DeliveryStatus.FAILED: "failed",
}

EMAILS = Counter(
    "mercato_emails",
    "E-mails handed to the mail server (sent) or refused by it (failed, retried).",
    ["outcome"],
)
WEBHOOK_DELIVERIES = Counter(
    "mercato_webhook_deliveries",
    "Webhook delivery attempts, by outcome: succeeded, retrying, or failed for good.",
    ["outcome"],
)


def email_sent_count() -> None:
    """Counted when its record commits: a rolled-back notification is sent again later."""
    count_on_commit(EMAILS.labels(outcome=SENT).inc)


def email_failed_count() -> None:
    EMAILS.labels(outcome=FAILED).inc()


def webhook_attempt_count(*, status: str) -> None:
    count_on_commit(WEBHOOK_DELIVERIES.labels(outcome=ATTEMPT_OUTCOMES[status]).inc)
