"""The default roles, made of the permission strings each app declares in its `scopes.py`."""

import apps.accounts.scopes as accounts
import apps.catalog.scopes as catalog
import apps.inventory.scopes as inventory
import apps.notifications.scopes as notifications
import apps.orders.scopes as orders
import apps.payments.scopes as payments
from common.auth.scopes import admin_access_scope, event_read_scope, event_replay_scope
from common.schedules.scopes import schedule_manage_scope, schedule_read_scope
from services import SERVICE_NAMES

CUSTOMER_ROLE = "customer"
ADMIN_ACCESS = frozenset(admin_access_scope(service) for service in SERVICE_NAMES)
# Each service's outbox and dead letters, in its admin.
EVENT_READ = frozenset(event_read_scope(service) for service in SERVICE_NAMES)
EVENT_REPLAY = frozenset(event_replay_scope(service) for service in SERVICE_NAMES)
# Each service's periodic tasks, in its admin: support looks, only admins change them.
SCHEDULE_READ = frozenset(schedule_read_scope(service) for service in SERVICE_NAMES)
SCHEDULE_MANAGE = frozenset(schedule_manage_scope(service) for service in SERVICE_NAMES)

CUSTOMER = frozenset(
    {
        orders.ORDER_CREATE,
        orders.ORDER_READ,
        orders.ORDER_CANCEL,
        payments.PAYMENT_READ,
        notifications.WEBHOOK_MANAGE,
        notifications.NOTIFICATION_READ,
    }
)
# Support looks at dead letters but does not replay them: a replay changes orders and stock.
# Support sends a failed webhook again; turning a customer's endpoint off stays with the admin.
SUPPORT = (
    ADMIN_ACCESS
    | EVENT_READ
    | SCHEDULE_READ
    | {
        accounts.USER_READ,
        accounts.ROLE_READ,
        catalog.PRODUCT_READ,
        inventory.STOCK_READ,
        orders.ORDER_READ_ANY,
        orders.ORDER_CANCEL_ANY,
        payments.PAYMENT_READ_ANY,
        notifications.NOTIFICATION_READ_ANY,
        notifications.WEBHOOK_RESEND,
    }
)
CATALOG_MANAGER = ADMIN_ACCESS | {
    catalog.PRODUCT_READ,
    catalog.PRODUCT_WRITE,
    inventory.STOCK_READ,
    inventory.STOCK_WRITE,
    catalog.IMPORT_RUN,
}
# A refund is started in orders; payments carries it out when orders asks, by event.
# Finance also queues a stalled charge or refund again, from the payments admin.
FINANCE = ADMIN_ACCESS | {
    accounts.USER_READ,
    orders.ORDER_READ_ANY,
    orders.ORDER_REFUND,
    orders.ORDER_EXPORT,
    payments.PAYMENT_READ_ANY,
    payments.PAYMENT_RETRY,
}
ADMIN = (
    CUSTOMER
    | SUPPORT
    | CATALOG_MANAGER
    | FINANCE
    | EVENT_REPLAY
    | SCHEDULE_MANAGE
    | {
        accounts.USER_WRITE,
        accounts.ROLE_WRITE,
        accounts.SERVICE_ACCOUNT_WRITE,
        accounts.SIGNING_KEY_ROTATE,
        notifications.WEBHOOK_MANAGE_ANY,
    }
)
# What orders needs when it prices an order.
ORDERS_SERVICE = frozenset({catalog.PRICE_READ_INTERNAL})

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
