"""The orders REST API."""
