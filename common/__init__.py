"""Mercato's shared package: settings, API conventions, health and observability."""
