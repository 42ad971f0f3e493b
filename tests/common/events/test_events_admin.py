"""Operators see the outbox and dead letters in their service's admin, pretty-printed, and replay
dead letters, confirmed and audited."""

import uuid

import pytest

from common.audit.models import AuditEntry
from common.events import inbox
from common.events.admin import REPLAYED_ALREADY
from common.events.models import DeadLetter, InboxEntry, OutboxEvent
from common.testing.admin import action_run, signed_in_user
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
    return action_run(client, DEAD_LETTERS_URL, "replay", [dead_letter], request_id="replay-1")


def test_an_operator_with_replay_applies_a_dead_letter_once_after_confirming(
    operator_client, dead_letter
):
    client = operator_client("catalog.admin.access", "catalog.event.read", "catalog.event.replay")

    run = replay(client, dead_letter)

    assert b"Replay the selected events?" in run.confirmation.content
    assert run.done.status_code == 200
    assert "applied" in run.done.content.decode()
    dead_letter.refresh_from_db()
    assert dead_letter.replayed_at is not None
    assert InboxEntry.objects.filter(event_id=dead_letter.event_id, handler=HANDLER).count() == 1
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.target_type, entry.request_id) == (
        signed_in_user(client).username,
        "events.dead_letter.replay",
        "events.deadletter",
        "replay-1",
    )
    assert entry.before["replayed_at"] is None
    assert entry.after["replayed_at"].startswith(f"{dead_letter.replayed_at:%Y-%m-%dT%H:%M:%S}")


def test_a_replay_that_fails_again_counts_its_attempt_and_is_audited_as_refused(
    operator_client, dead_letter, monkeypatch
):
    def still_failing(event):
        raise RuntimeError("still broken")

    monkeypatch.setitem(inbox.HANDLERS, HANDLER, (frozenset({"stock.reserved"}), still_failing))
    client = operator_client("catalog.admin.access", "catalog.event.read", "catalog.event.replay")

    run = replay(client, dead_letter)

    assert inbox.REPLAY_FAILED.encode() in run.done.content
    dead_letter.refresh_from_db()
    assert (dead_letter.attempts, dead_letter.replayed_at) == (2, None)
    assert "still broken" in dead_letter.error
    entry = AuditEntry.objects.get()
    assert entry.refusal == inbox.REPLAY_FAILED
    assert (entry.before["attempts"], entry.after["attempts"]) == (1, 2)


def test_a_dead_letter_is_replayed_once(operator_client, dead_letter):
    client = operator_client("catalog.admin.access", "catalog.event.read", "catalog.event.replay")

    replay(client, dead_letter)
    again = replay(client, dead_letter)

    assert REPLAYED_ALREADY.encode() in again.done.content
    assert InboxEntry.objects.filter(event_id=dead_letter.event_id, handler=HANDLER).count() == 1


def test_payloads_are_shown_pretty_printed_and_cannot_be_edited(operator_client, dead_letter):
    client = operator_client("catalog.admin.access", "catalog.event.read", "catalog.event.replay")
    outbox_event = OutboxEvent.objects.create(
        id=uuid.uuid4(), type="stock.reserved", envelope={"data": {"order_id": "o-1"}}
    )

    for url in (
        f"{DEAD_LETTERS_URL}{dead_letter.id}/change/",
        f"/catalog/admin/events/outboxevent/{outbox_event.id}/change/",
    ):
        page = client.get(url).content.decode()

        shown = page.split('<pre class="mercato-json">', 1)[1].split("</pre>", 1)[0]
        assert shown.startswith("{\n  &quot;"), url
        assert "\n  &quot;data&quot;: {\n    &quot;order_id&quot;: " in shown, url
        assert 'name="envelope"' not in page
        assert "style=" not in shown


def test_an_operator_who_may_only_read_sees_dead_letters_but_cannot_replay(
    operator_client, dead_letter
):
    client = operator_client("catalog.admin.access", "catalog.event.read")

    listing = client.get(DEAD_LETTERS_URL, {"q": dead_letter.envelope["data"]["order_id"]})
    run = replay(client, dead_letter)

    assert listing.status_code == 200
    assert b"Replay the selected" not in run.confirmation.content
    assert str(dead_letter.event_id) in listing.content.decode()
    assert 'value="replay"' not in listing.content.decode()
    dead_letter.refresh_from_db()
    assert dead_letter.replayed_at is None
    assert not AuditEntry.objects.exists()


def test_without_the_event_scope_the_dead_letters_are_not_shown(operator_client, dead_letter):
    client = operator_client("catalog.admin.access")

    assert client.get(DEAD_LETTERS_URL).status_code == 403
