"""App config of payments: its lost tasks are sent again when the broker lost its messages."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.payments.services import payment_resume_all
        from common.celery import broker_forgot

        broker_forgot.connect(payment_resume_all, dispatch_uid="payments-resume-all")
