"""The permission strings payments checks; refunds start in orders with `orders.order.refund`."""

PAYMENT_READ = "payments.payment.read"
PAYMENT_READ_ANY = "payments.payment.read_any"
