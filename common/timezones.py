"""The IANA time zones this machine's zoneinfo knows, read once per process."""

import zoneinfo
from functools import cache


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
