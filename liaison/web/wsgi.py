"""WSGI entry point for serving liaison behind a production server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.web.settings")
application = get_wsgi_application()
