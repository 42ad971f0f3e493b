"""The WSGI application of whichever baseline DJANGO_SETTINGS_MODULE names, for gunicorn."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
