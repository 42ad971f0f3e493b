"""The audit log in a service's admin: listed, filtered and searched by its operators, before and
after pretty-printed, and never added, changed or deleted there."""

import pytest

from common.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

AUDIT_ADMIN = "/catalog/admin/audit/auditentry/"


def entry(**fields) -> AuditEntry:
    return AuditEntry.objects.create(
        **{
            "actor_id": "user-1",
            "actor_email": "manager@mercato.local",
            "action": "catalog.stock.adjust",
            "target_type": "inventory.stock",
            "target_id": "product-1",
            "target_label": "Tea",
            "before": {"on_hand": 10},
            "after": {"on_hand": 6},
            "request_id": "request-1",
            **fields,
        }
    )


@pytest.fixture
def entries() -> list[AuditEntry]:
    return [
        entry(),
        entry(action="events.dead_letter.replay", target_type="events.deadletter", target_id="9"),
        entry(actor_id="user-2", actor_email="admin@mercato.local", target_id="product-2"),
    ]


def listed(page) -> set[int]:
    return {entry.pk for entry in page.context["cl"].result_list}


def test_every_operator_of_the_service_reads_the_log(operator_client, entries):
    client = operator_client("catalog.admin.access")

    page = client.get(AUDIT_ADMIN)

    assert page.status_code == 200
    assert listed(page) == {entry.pk for entry in entries}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "events.dead_letter.replay"}, [1]),
        ({"target_type": "inventory.stock"}, [0, 2]),
        ({"actor_email": "admin@mercato.local"}, [2]),
        ({"q": "product-2"}, [2]),
        ({"q": "request-1"}, [0, 1, 2]),
    ],
)
def test_the_log_is_filtered_by_action_target_and_actor_and_searched(
    operator_client, entries, query, expected
):
    client = operator_client("catalog.admin.access")

    page = client.get(AUDIT_ADMIN, query)

    assert page.status_code == 200
    assert listed(page) == {entries[index].pk for index in expected}


def test_the_log_is_filtered_by_date(operator_client, entries):
    client = operator_client("catalog.admin.access")
    day = entries[0].at

    page = client.get(
        AUDIT_ADMIN, {"at__year": day.year, "at__month": day.month, "at__day": day.day}
    )

    assert listed(page) == {entry.pk for entry in entries}


def test_an_entry_shows_before_and_after_pretty_printed_and_cannot_be_saved(
    operator_client, entries
):
    client = operator_client("catalog.admin.access", "catalog.stock.write")

    page = client.get(f"{AUDIT_ADMIN}{entries[0].pk}/change/").content.decode()

    assert '<pre class="mercato-json">{\n  &quot;on_hand&quot;: 10\n}</pre>' in page
    assert '<pre class="mercato-json">{\n  &quot;on_hand&quot;: 6\n}</pre>' in page
    assert 'name="_save"' not in page
    assert 'name="before"' not in page


def test_nobody_adds_changes_or_deletes_an_entry(operator_client, entries):
    client = operator_client("catalog.admin.access", "catalog.event.replay", "catalog.stock.write")
    target = entries[0]

    added = client.post(f"{AUDIT_ADMIN}add/", {"action": "forged"})
    changed = client.post(f"{AUDIT_ADMIN}{target.pk}/change/", {"action": "forged"})
    deleted = client.post(f"{AUDIT_ADMIN}{target.pk}/delete/", {"post": "yes"})
    bulk_deleted = client.post(
        AUDIT_ADMIN, {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"}
    )

    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert bulk_deleted.status_code in (200, 302)
    assert AuditEntry.objects.count() == 3
    target.refresh_from_db()
    assert target.action == "catalog.stock.adjust"
