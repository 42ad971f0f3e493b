"""Python run by a new interpreter under a service's settings, as a worker or web process starts:
what a test learns there is not blurred by what the test process already imported."""

import json
import os
import subprocess
import sys
from typing import Any

from django.conf import settings


def printed_in_new_process(code: str, *, service: str) -> Any:
    """What `code`, run by a new interpreter under `service`'s settings, printed last, as JSON; a
    failure shows the end of what it wrote to stderr."""
    finished = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": f"services.{service}.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.splitlines()[-1])
