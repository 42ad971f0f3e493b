"""The `audit` app: each service's audit log, in the service's own database."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "common.audit"
    label = "audit"
