"""The data migration that moved webhook delivery statuses to UPPERCASE, forwards and back."""

import uuid

from common.testing.migrations import at_migration, migrate

BEFORE, AFTER = "0002_notifications_and_webhooks", "0003_uppercase_delivery_status"
LOWERCASE = ["pending", "succeeded", "failed"]


def statuses(apps) -> list[str]:
    deliveries = apps.get_model("notifications", "WebhookDelivery").objects.order_by("attempts")
    return list(deliveries.values_list("status", flat=True))


def test_existing_deliveries_are_uppercased_and_lowercased_again_on_rollback(transactional_db):
    with at_migration("notifications", BEFORE) as before:
        endpoint = before.get_model("notifications", "WebhookEndpoint").objects.create(
            owner_id="user-1", url="https://example.test/hook", event_types=[], secret="whsec_x"
        )
        delivery = before.get_model("notifications", "WebhookDelivery")
        delivery.objects.bulk_create(
            delivery(
                endpoint=endpoint,
                event_id=uuid.uuid4(),
                event_type="order.created",
                payload={},
                status=status,
                attempts=attempts,
                max_attempts=5,
            )
            for attempts, status in enumerate(LOWERCASE)
        )

        forwards = statuses(migrate("notifications", AFTER))
        backwards = statuses(migrate("notifications", BEFORE))

    assert forwards == ["PENDING", "SUCCEEDED", "FAILED"]
    assert backwards == LOWERCASE
