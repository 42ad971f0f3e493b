"""WSGI entry point of the catalog service, served by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.catalog.settings")

application = get_wsgi_application()
