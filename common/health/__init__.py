"""Liveness and readiness probes for every service."""
