"""The permission strings payments checks; refunds start in orders with `orders.order.refund`."""

PAYMENT_READ = "payments.payment.read"
PAYMENT_READ_ANY = "payments.payment.read_any"
# Queues a stalled charge or refund again, from the admin.
PAYMENT_RETRY = "payments.payment.retry"
