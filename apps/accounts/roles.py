"""The permission strings of every service and the default roles made of them (DESIGN §4)."""

from services import SERVICE_NAMES

CUSTOMER_ROLE = "customer"
ADMIN_ACCESS = frozenset(f"{service}.admin.access" for service in SERVICE_NAMES)
# Each service's outbox and dead letters, in its admin.
EVENT_READ = frozenset(f"{service}.event.read" for service in SERVICE_NAMES)
EVENT_REPLAY = frozenset(f"{service}.event.replay" for service in SERVICE_NAMES)

CUSTOMER = frozenset(
    {
        "orders.order.create",
        "orders.order.read",
        "orders.order.cancel",
        "payments.payment.read",
        "notifications.webhook.manage",
        "notifications.notification.read",
    }
)
SUPPORT = (
    ADMIN_ACCESS
    | EVENT_READ
    | {
        "identity.user.read",
        "identity.role.read",
        "catalog.product.read",
        "catalog.stock.read",
        "orders.order.read_any",
        "orders.order.cancel_any",
        "payments.payment.read_any",
        "notifications.notification.read_any",
    }
)
CATALOG_MANAGER = ADMIN_ACCESS | {
    "catalog.product.read",
    "catalog.product.write",
    "catalog.stock.read",
    "catalog.stock.write",
    "catalog.import.run",
}
FINANCE = ADMIN_ACCESS | {
    "identity.user.read",
    "orders.order.read_any",
    "orders.order.refund",
    "orders.order.export",
    "payments.payment.read_any",
    "payments.payment.refund",
}
ADMIN = (
    CUSTOMER
    | SUPPORT
    | CATALOG_MANAGER
    | FINANCE
    | EVENT_REPLAY
    | {
        "identity.user.write",
        "identity.role.write",
        "identity.service_account.write",
        "identity.signing_key.rotate",
        "notifications.webhook.manage_any",
    }
)
# What orders needs when it prices an order; the events issue adds what the others call.
ORDERS_SERVICE = frozenset({"catalog.price.read_internal"})

DEFAULT_ROLES = {
    CUSTOMER_ROLE: ("Shops: own profile, own orders, payments and notifications.", CUSTOMER),
    "support": (
        "Reads every user, order, payment and notification; cancels unpaid orders.",
        SUPPORT,
    ),
    "catalog_manager": ("Writes products, categories and stock; runs imports.", CATALOG_MANAGER),
    "finance": ("Reads every order and payment; refunds; exports orders.", FINANCE),
    "admin": ("Everything, including roles, service accounts and key rotation.", ADMIN),
    "service_orders": ("The orders service's own calls.", ORDERS_SERVICE),
}
