"""Structured logs, request ids and metrics shared by every service."""
