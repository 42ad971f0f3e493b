"""The people read model: kept from identity's user events, read many ids in one query, and an id
nobody announced (or an actor that is no person) is left as it is."""

import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.operator_admin.people.models import Person
from common.operator_admin.people.selectors import emails_of
from common.operator_admin.people.services import person_remember
from common.testing.events import deliver, event_data

pytestmark = pytest.mark.django_db

EARLIER = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def test_a_registered_user_is_known_by_email_and_an_update_changes_it():
    user_id = str(uuid.uuid4())
    deliver("user.registered", event_data("user.registered", user_id=user_id, email="a@x.test"))
    deliver("user.updated", event_data("user.updated", user_id=user_id, email="b@x.test"))

    assert emails_of([user_id]) == {user_id: "b@x.test"}


def test_an_older_event_arriving_late_changes_nothing():
    user_id = str(uuid.uuid4())
    person_remember(user_id=user_id, email="new@x.test", as_of=LATER)
    person_remember(user_id=user_id, email="old@x.test", as_of=EARLIER)

    assert Person.objects.get(user_id=user_id).email == "new@x.test"


def test_many_ids_are_read_in_one_query_and_what_is_no_known_person_is_left_out():
    known = [uuid.uuid4() for _ in range(5)]
    for user_id in known:
        person_remember(user_id=str(user_id), email=f"{user_id}@x.test", as_of=LATER)
    unknown = str(uuid.uuid4())

    with CaptureQueriesContext(connection) as captured:
        emails = emails_of([*known, unknown, "service:orders", "system", ""])

    assert len(captured) == 1
    assert emails == {str(user_id): f"{user_id}@x.test" for user_id in known}


def test_nothing_to_look_up_costs_no_query():
    with CaptureQueriesContext(connection) as captured:
        assert emails_of(["system", None]) == {}

    assert len(captured) == 0
