"""Idempotency keys: a POST retried with the same `Idempotency-Key` replays its first answer.

A key is stored only with a successful answer, in the transaction that made the change, so a
request that failed (bad input, a dependency down) leaves nothing behind and may be retried
with the same key. Requests sharing a key are serialised by a transaction-scoped advisory lock.
"""

import hashlib
import json
import re
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from common.errors import ApplicationError
from common.idempotency import KEY_LIFETIME, IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = re.compile(r"[\x20-\x7e]{1,255}")
KEY_INVALID = "The Idempotency-Key header is required: 1 to 255 printable ASCII characters."
KEY_REUSED = "This Idempotency-Key was already used with a different request body."


def idempotency_key(request: Request) -> str:
    key = request.headers.get(HEADER, "")
    if not KEY_PATTERN.fullmatch(key) or not key.strip():
        raise ApplicationError(
            KEY_INVALID, code="idempotency_key_invalid", errors={HEADER: [KEY_INVALID]}
        )
    return key


def fingerprint(body: object) -> str:
    """sha256 of the body as canonical JSON, so key order and spacing do not matter."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def advisory_lock(*parts: str) -> None:
    """Blocks until no other transaction holds the lock named by `parts`; released at commit."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


def idempotent(
    request: Request, *, model: type[IdempotencyRecord], action: Callable[[], Response]
) -> Response:
    """`action()`'s answer, or the stored answer of the first request with the same key and body.

    `action` runs inside this transaction; an error it raises rolls back its changes and the key.
    """
    key = idempotency_key(request)
    owner_id = str(request.user.id)
    body_fingerprint = fingerprint(request.data)
    with transaction.atomic():
        advisory_lock(model._meta.db_table, owner_id, key)
        stored = model.objects.filter(owner_id=owner_id, key=key).first()
        if stored is not None and stored.created_at < timezone.now() - KEY_LIFETIME:
            stored.delete()
            stored = None
        if stored is not None:
            if stored.request_fingerprint != body_fingerprint:
                raise ApplicationError(
                    KEY_REUSED,
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                    code="idempotency_key_reused",
                    errors={HEADER: [KEY_REUSED]},
                )
            return Response(
                stored.response_body,
                status=stored.response_status,
                headers={REPLAYED_HEADER: "true"},
            )
        response = action()
        if not status.is_success(response.status_code):
            return response
        model.objects.create(
            owner_id=owner_id,
            key=key,
            request_fingerprint=body_fingerprint,
            response_status=response.status_code,
            response_body=response.data,
        )
    return response
