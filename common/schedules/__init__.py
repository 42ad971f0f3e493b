"""Periodic tasks operators can change: beat reads them from the service's database."""
