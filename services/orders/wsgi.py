"""WSGI entry point of the orders service, served by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.orders.settings")

application = get_wsgi_application()
