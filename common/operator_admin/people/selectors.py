"""Reads of people: e-mails by user id, many at once, from the service's own copy of its users."""

import uuid
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings


def emails_of(user_ids: Iterable[object]) -> dict[str, str]:
    """The e-mail of each of `user_ids` this service knows, keyed by the id as text, in one query.
    `PEOPLE_MODEL` names the table: identity's own users, notifications' recipients, or the
    `people` read model elsewhere; each has the user id as its key and an `email`."""
    keys = {str(user_id) for user_id in user_ids if is_uuid(user_id)}
    if not keys:
        return {}
    model = apps.get_model(settings.PEOPLE_MODEL)
    return {
        str(user_id): email
        for user_id, email in model.objects.filter(pk__in=keys).values_list("pk", "email")
    }


def is_uuid(value: object) -> bool:
    """Actors are sometimes "service:orders", "system" or an e-mail rather than a user id."""
    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
