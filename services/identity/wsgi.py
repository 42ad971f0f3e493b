"""WSGI entry point of the identity service, served by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "services.identity.settings")

application = get_wsgi_application()
