"""Pytest fixtures and helpers shared by every service's suite."""
