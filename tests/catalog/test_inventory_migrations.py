"""The data migration that moved reservation statuses to UPPERCASE, forwards and back."""

import uuid
from datetime import timedelta

from django.utils import timezone

from common.testing.migrations import at_migration, migrate

BEFORE, AFTER = "0002_reservations_and_adjustments", "0003_uppercase_reservation_status"
LOWERCASE = ["held", "committed", "released", "returned"]


def statuses(apps) -> list[str]:
    reservations = apps.get_model("inventory", "Reservation").objects.order_by("expires_at")
    return list(reservations.values_list("status", flat=True))


def test_existing_reservations_are_uppercased_and_lowercased_again_on_rollback(transactional_db):
    with at_migration("inventory", BEFORE) as before:
        reservation = before.get_model("inventory", "Reservation")
        now = timezone.now()
        reservation.objects.bulk_create(
            reservation(order_id=uuid.uuid4(), status=status, expires_at=now + timedelta(minutes=i))
            for i, status in enumerate(LOWERCASE)
        )

        forwards = statuses(migrate("inventory", AFTER))
        backwards = statuses(migrate("inventory", BEFORE))

    assert forwards == ["HELD", "COMMITTED", "RELEASED", "RETURNED"]
    assert backwards == LOWERCASE
