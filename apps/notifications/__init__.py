"""Notifications: the user directory read model, e-mails and webhooks."""
