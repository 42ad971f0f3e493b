"""`python -m bench` starts without Django set up: the harness imports nothing that needs it."""

import os
import subprocess
import sys

from devtools import ROOT


def test_the_harness_imports_without_django_settings():
    environment = {
        name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"
    }

    imported = subprocess.run(
        [sys.executable, "-c", "import bench.run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert imported.returncode == 0, imported.stderr
