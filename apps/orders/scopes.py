"""The permission strings orders checks; `_any` reaches every customer's orders."""

ORDER_CREATE = "orders.order.create"
ORDER_READ = "orders.order.read"
ORDER_READ_ANY = "orders.order.read_any"
ORDER_CANCEL = "orders.order.cancel"
ORDER_CANCEL_ANY = "orders.order.cancel_any"
ORDER_REFUND = "orders.order.refund"
ORDER_EXPORT = "orders.order.export"
