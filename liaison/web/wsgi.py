"""WSGI entry point for serving liaison behind a production server."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.web.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  # imports every view now, not at the first request
# What is loaded by now (modules, models, views) lives as long as the process: a full pass of
# the garbage collector over it paused a worker for about 50 ms; frozen, it is left out.
gc.freeze()
