"""Standard Webhooks signing (https://www.standardwebhooks.com/): secrets, signatures, headers."""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def webhook_secret_generate() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def webhook_signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` and the base64 HMAC-SHA256, keyed by the decoded secret, of `id.timestamp.body`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def webhook_headers(*, secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(
            secret=secret, message_id=message_id, timestamp=timestamp, body=body
        ),
    }


def webhook_signature_verified(
    *, secret: str, message_id: str, timestamp: int, body: bytes, signature_header: str
) -> bool:
    """Whether any of the header's space-separated signatures is the one `secret` makes."""
    expected = webhook_signature(
        secret=secret, message_id=message_id, timestamp=timestamp, body=body
    )
    return any(hmac.compare_digest(given, expected) for given in signature_header.split())
