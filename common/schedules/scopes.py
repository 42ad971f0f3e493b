"""The scopes every service's admin checks for its periodic task schedules, under its own name."""


def schedule_read_scope(service: str) -> str:
    """Shows `service`'s periodic tasks and their schedules in its admin."""
    return f"{service}.schedule.read"


def schedule_manage_scope(service: str) -> str:
    """Changes `service`'s periodic tasks (interval, enabled) and runs one at once."""
    return f"{service}.schedule.manage"
