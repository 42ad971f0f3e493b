"""Catalog: categories and products with their prices."""
