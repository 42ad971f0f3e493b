"""API conventions shared by every service: errors, pagination, views."""
