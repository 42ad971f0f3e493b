"""Writes the audit log; nothing else does, and nothing changes or deletes its entries."""

from collections.abc import Mapping

from django.db import models, transaction

from common.audit.models import AuditEntry

NOT_IN_A_TRANSACTION = "record() belongs in the transaction of the change it describes."


def record(
    *,
    actor_id: str,
    actor_email: str,
    action: str,
    target: models.Model,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
    request_id: str,
    arguments: Mapping[str, object] | None = None,
    refusal: str = "",
) -> AuditEntry:
    """One entry for `action` on `target`; the caller's transaction commits or drops it with the
    change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(NOT_IN_A_TRANSACTION)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_email=actor_email,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        arguments=dict(arguments or {}),
        before=None if before is None else dict(before),
        after=None if after is None else dict(after),
        refusal=refusal[:500],
        request_id=request_id,
    )
