"""Django apps; each belongs to exactly one service (see services/<name>/settings.py)."""
