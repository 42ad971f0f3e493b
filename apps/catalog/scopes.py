"""The permission strings the catalog checks for products, imports and internal prices."""

PRODUCT_READ = "catalog.product.read"
PRODUCT_WRITE = "catalog.product.write"
IMPORT_RUN = "catalog.import.run"
# Only services call it: orders, when it prices an order.
PRICE_READ_INTERNAL = "catalog.price.read_internal"
