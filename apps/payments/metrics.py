"""Payments' metrics: the provider's charge attempts and the charges that failed, by reason."""

from prometheus_client import Counter

from common.observability.metrics import count_on_commit

SUCCEEDED = "succeeded"
DECLINED = "declined"
UNAVAILABLE = "unavailable"

PAYMENT_ATTEMPTS = Counter(
    "mercato_payment_attempts",
    "Charges tried at the provider, by outcome: succeeded, declined, or unavailable (retried).",
    ["outcome"],
)
PAYMENT_FAILURES = Counter(
    "mercato_payment_failures",
    "Charges that failed for good, by the provider's decline reason.",
    ["reason"],
)


def payment_attempt_count(*, outcome: str) -> None:
    """Counted with the attempt's row, which is committed whatever the provider answered."""
    count_on_commit(PAYMENT_ATTEMPTS.labels(outcome=outcome).inc)


def payment_failure_count(*, reason: str) -> None:
    count_on_commit(PAYMENT_FAILURES.labels(reason=reason).inc)
