"""Writes of the people read model."""

from datetime import datetime

from django.db import transaction

from common.operator_admin.people.models import Person


@transaction.atomic
def person_remember(*, user_id: str, email: str, as_of: datetime) -> Person:
    """`user_id`'s e-mail as of the identity event's time; an older event changes nothing."""
    person, created = Person.objects.select_for_update().get_or_create(
        user_id=user_id, defaults={"email": email, "as_of": as_of}
    )
    if not created and person.as_of < as_of:
        person.email, person.as_of = email, as_of
        person.save(update_fields=["email", "as_of"])
    return person
