"""Inventory's REST API, served under catalog's prefix."""
