"""The payments REST API, under `/payments/api/v1/`."""
