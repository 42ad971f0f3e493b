"""Renames inbox entries and dead letters from handlers' Python paths to their declared keys."""

from django.db import migrations

# The Python path each handler was stored under until handlers declared keys -> its key.
# Written out here because a migration must not import the apps whose handlers these are.
KEYS_OF_PATHS = {
    "apps.inventory.handlers.order_created_reserve_stock": "order_created__reserve_stock",
    "apps.inventory.handlers.order_confirmed_commit_stock": "order_confirmed__commit_stock",
    "apps.inventory.handlers.order_cancelled_release_stock": "order_cancelled__release_stock",
    "apps.inventory.handlers.order_refunded_return_stock": "order_refunded__return_stock",
    "apps.notifications.handlers.recipient_welcome": "user_registered__welcome_recipient",
    "apps.notifications.handlers.recipient_update": "user_updated__update_recipient",
    "apps.notifications.handlers.order_email": "order_events__send_email",
    "apps.notifications.handlers.order_webhooks": "order_events__dispatch_webhooks",
    "apps.orders.handlers.order_reserved": "stock_reserved__mark_order_reserved",
    "apps.orders.handlers.order_rejected": "stock_rejected__mark_order_rejected",
    "apps.orders.handlers.order_paid": "payment_succeeded__mark_order_paid",
    "apps.orders.handlers.order_payment_failed": "payment_failed__mark_order_payment_failed",
    "apps.orders.handlers.order_refunded": "payment_refunded__mark_order_refunded",
    "apps.payments.handlers.payment_on_requested": "order_payment_requested__request_payment",
    "apps.payments.handlers.payment_on_refund_requested": "order_refund_requested__request_refund",
}


def rename_handlers(apps, renames: dict[str, str]) -> None:
    for model_name in ("InboxEntry", "DeadLetter"):
        model = apps.get_model("events", model_name)
        for old, new in renames.items():
            rows = model.objects.filter(handler=old)
            # A row already stored under the new name (a worker of the new release ran before
            # this migration) says the same thing: keep it, drop the old one.
            already = model.objects.filter(handler=new).values("event_id")
            rows.filter(event_id__in=already).delete()
            rows.update(handler=new)


def paths_to_keys(apps, schema_editor) -> None:
    rename_handlers(apps, KEYS_OF_PATHS)


def keys_to_paths(apps, schema_editor) -> None:
    rename_handlers(apps, {key: path for path, key in KEYS_OF_PATHS.items()})


class Migration(migrations.Migration):
    dependencies = [("events", "0002_retention_indexes")]

    operations = [migrations.RunPython(paths_to_keys, keys_to_paths)]
