"""The permission strings notifications checks; `_any` reaches everyone's, not only one's own."""

NOTIFICATION_READ = "notifications.notification.read"
NOTIFICATION_READ_ANY = "notifications.notification.read_any"
WEBHOOK_MANAGE = "notifications.webhook.manage"
WEBHOOK_MANAGE_ANY = "notifications.webhook.manage_any"
# Sends a failed webhook delivery again, from the admin.
WEBHOOK_RESEND = "notifications.webhook.resend"
