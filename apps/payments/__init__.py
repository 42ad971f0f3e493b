"""Payments: charges and refunds against a payment provider."""
