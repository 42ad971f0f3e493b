"""identity's REST API."""
