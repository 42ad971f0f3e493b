"""Inventory: stock on hand and reserved, per catalog product."""
