"""Keeps the people read model from identity's user events."""

from datetime import datetime

from common.events.envelope import Event
from common.events.inbox import handler
from common.operator_admin.people.services import person_remember


@handler("user.registered", "user.updated", key="user_events__remember_person")
def person_from_user_event(event: Event) -> None:
    person_remember(
        user_id=event.data["user_id"],
        email=event.data["email"],
        as_of=datetime.fromisoformat(event.time),
    )
