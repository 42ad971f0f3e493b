"""The default roles, made of the permission strings each app declares in its `scopes.py`."""

from apps.accounts.scopes import (
    ROLE_READ,
    ROLE_WRITE,
    SERVICE_ACCOUNT_WRITE,
    SIGNING_KEY_ROTATE,
    USER_READ,
    USER_WRITE,
)
from apps.catalog.scopes import IMPORT_RUN, PRICE_READ_INTERNAL, PRODUCT_READ, PRODUCT_WRITE
from apps.inventory.scopes import STOCK_READ, STOCK_WRITE
from apps.notifications.scopes import (
    NOTIFICATION_READ,
    NOTIFICATION_READ_ANY,
    WEBHOOK_MANAGE,
    WEBHOOK_MANAGE_ANY,
)
from apps.orders.scopes import (
    ORDER_CANCEL,
    ORDER_CANCEL_ANY,
    ORDER_CREATE,
    ORDER_EXPORT,
    ORDER_READ,
    ORDER_READ_ANY,
    ORDER_REFUND,
)
from apps.payments.scopes import PAYMENT_READ, PAYMENT_READ_ANY
from common.auth.scopes import admin_access_scope, event_read_scope, event_replay_scope
from services import SERVICE_NAMES

CUSTOMER_ROLE = "customer"
ADMIN_ACCESS = frozenset(admin_access_scope(service) for service in SERVICE_NAMES)
# Each service's outbox and dead letters, in its admin.
EVENT_READ = frozenset(event_read_scope(service) for service in SERVICE_NAMES)
EVENT_REPLAY = frozenset(event_replay_scope(service) for service in SERVICE_NAMES)

CUSTOMER = frozenset(
    {ORDER_CREATE, ORDER_READ, ORDER_CANCEL, PAYMENT_READ, WEBHOOK_MANAGE, NOTIFICATION_READ}
)
# Support looks at dead letters but does not replay them: a replay changes orders and stock.
SUPPORT = (
    ADMIN_ACCESS
    | EVENT_READ
    | {
        USER_READ,
        ROLE_READ,
        PRODUCT_READ,
        STOCK_READ,
        ORDER_READ_ANY,
        ORDER_CANCEL_ANY,
        PAYMENT_READ_ANY,
        NOTIFICATION_READ_ANY,
    }
)
CATALOG_MANAGER = ADMIN_ACCESS | {PRODUCT_READ, PRODUCT_WRITE, STOCK_READ, STOCK_WRITE, IMPORT_RUN}
# A refund is started in orders; payments carries it out when orders asks, by event.
FINANCE = ADMIN_ACCESS | {USER_READ, ORDER_READ_ANY, ORDER_REFUND, ORDER_EXPORT, PAYMENT_READ_ANY}
ADMIN = (
    CUSTOMER
    | SUPPORT
    | CATALOG_MANAGER
    | FINANCE
    | EVENT_REPLAY
    | {USER_WRITE, ROLE_WRITE, SERVICE_ACCOUNT_WRITE, SIGNING_KEY_ROTATE, WEBHOOK_MANAGE_ANY}
)
# What orders needs when it prices an order.
ORDERS_SERVICE = frozenset({PRICE_READ_INTERNAL})

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
