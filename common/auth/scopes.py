"""The scopes every service checks under its own name: its admin, and its outbox and dead letters.

A service's other permission strings live in `apps/<app>/scopes.py` of the app that checks them;
identity's default roles (`apps/accounts/roles.py`) are made of both.
"""


def admin_access_scope(service: str) -> str:
    """Signs an operator in to `service`'s admin."""
    return f"{service}.admin.access"


def event_read_scope(service: str) -> str:
    """Shows `service`'s outbox and dead letters in its admin."""
    return f"{service}.event.read"


def event_replay_scope(service: str) -> str:
    """Replays `service`'s dead letters from its admin."""
    return f"{service}.event.replay"
