"""WSGI entry point of the payments service, served by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.payments.settings")

application = get_wsgi_application()
