"""Operators see the outbox and dead letters in their service's admin and replay dead letters."""

import pytest

from common.events import inbox
from common.events.models import DeadLetter, InboxEntry
from common.testing.events import deliver, event_data

pytestmark = pytest.mark.django_db
DEAD_LETTERS_URL = "/catalog/admin/events/deadletter/"
HANDLER = "tests.flaky_handler"


@pytest.fixture
def dead_letter(monkeypatch, settings) -> DeadLetter:
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 1
    fault = {"on": True}

    def flaky_handler(event):
        if fault["on"]:
            raise RuntimeError("fault")

    monkeypatch.setattr(
        inbox, "HANDLERS", {HANDLER: (frozenset({"stock.reserved"}), flaky_handler)}
    )
    deliver("stock.reserved", event_data("stock.reserved"))
    fault["on"] = False
    return DeadLetter.objects.get()


def replay(client, dead_letter: DeadLetter):
    return client.post(
        DEAD_LETTERS_URL,
        {"action": "replay", "_selected_action": [str(dead_letter.id)]},
        follow=True,
    )


def test_an_operator_with_replay_applies_a_dead_letter_once(operator_client, dead_letter):
    client = operator_client("catalog.admin.access", "catalog.event.read", "catalog.event.replay")

    page = replay(client, dead_letter)

    assert page.status_code == 200
    assert "applied" in page.content.decode()
    dead_letter.refresh_from_db()
    assert dead_letter.replayed_at is not None
    assert InboxEntry.objects.filter(event_id=dead_letter.event_id, handler=HANDLER).count() == 1


def test_an_operator_who_may_only_read_sees_dead_letters_but_cannot_replay(
    operator_client, dead_letter
):
    client = operator_client("catalog.admin.access", "catalog.event.read")

    listing = client.get(DEAD_LETTERS_URL, {"q": dead_letter.envelope["data"]["order_id"]})
    replay(client, dead_letter)

    assert listing.status_code == 200
    assert str(dead_letter.event_id) in listing.content.decode()
    assert 'value="replay"' not in listing.content.decode()
    dead_letter.refresh_from_db()
    assert dead_letter.replayed_at is None


def test_without_the_event_scope_the_dead_letters_are_not_shown(operator_client, dead_letter):
    client = operator_client("catalog.admin.access")

    assert client.get(DEAD_LETTERS_URL).status_code == 403
