"""The notifications REST API under `/notifications/api/v1/`."""
