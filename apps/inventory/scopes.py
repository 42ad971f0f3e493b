"""The permission strings the catalog service checks for stock (inventory is part of it)."""

STOCK_READ = "catalog.stock.read"
STOCK_WRITE = "catalog.stock.write"
