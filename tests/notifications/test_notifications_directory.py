"""The user directory follows identity's user events, newest wins whatever order they arrive in."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notifications.models import Recipient
from apps.notifications.services import recipient_upsert
from common.testing.events import deliver

pytestmark = pytest.mark.django_db


def user_data(user_id, email="ada@mercato.test", full_name="Ada Lovelace") -> dict:
    return {"user_id": str(user_id), "email": email, "full_name": full_name}


def test_user_registered_adds_the_person_to_the_directory(mailoutbox):
    user_id = uuid.uuid4()

    envelope = deliver("user.registered", user_data(user_id), times=2)

    recipient = Recipient.objects.get(user_id=user_id)
    assert (recipient.email, recipient.full_name) == ("ada@mercato.test", "Ada Lovelace")
    assert recipient.as_of.isoformat() == envelope["time"]


def test_user_updated_changes_the_email_and_name():
    user_id = uuid.uuid4()
    deliver("user.registered", user_data(user_id))

    deliver("user.updated", user_data(user_id, "countess@mercato.test", "Ada King"))

    recipient = Recipient.objects.get(user_id=user_id)
    assert (recipient.email, recipient.full_name) == ("countess@mercato.test", "Ada King")


def test_user_updated_before_user_registered_still_creates_the_entry():
    user_id = uuid.uuid4()

    deliver("user.updated", user_data(user_id, "countess@mercato.test"))

    assert Recipient.objects.get(user_id=user_id).email == "countess@mercato.test"


def test_an_older_event_arriving_late_does_not_overwrite_newer_data():
    user_id = uuid.uuid4()
    now = timezone.now()
    recipient_upsert(user_id=user_id, email="new@mercato.test", full_name="New", as_of=now)

    recipient_upsert(
        user_id=user_id, email="old@mercato.test", full_name="Old", as_of=now - timedelta(seconds=1)
    )

    recipient = Recipient.objects.get(user_id=user_id)
    assert (recipient.email, recipient.full_name, recipient.as_of) == (
        "new@mercato.test",
        "New",
        now,
    )


def test_a_late_user_registered_keeps_the_newer_update_but_still_welcomes(mailoutbox):
    user_id = uuid.uuid4()
    later = timezone.now() + timedelta(minutes=1)
    recipient_upsert(user_id=user_id, email="new@mercato.test", full_name="New", as_of=later)

    deliver("user.registered", user_data(user_id, "old@mercato.test", "Old"))

    assert Recipient.objects.get(user_id=user_id).email == "new@mercato.test"
    assert [message.to for message in mailoutbox] == [["new@mercato.test"]]
