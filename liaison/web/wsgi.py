"""WSGI entry point for serving liaison behind a production server."""

import gc
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.web.settings")
TEMPLATES = Path(__file__).resolve().parent / "templates"
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  # imports every view now, not at the first request
# Every template compiled now too: otherwise each worker compiles a page's templates while a
# reader waits for that page.
for path in sorted(TEMPLATES.rglob("*.html")):
    get_template(path.relative_to(TEMPLATES).as_posix())
# What is loaded by now (modules, models, views) lives as long as the process: a full pass of
# the garbage collector over it paused a worker for about 50 ms; frozen, it is left out.
gc.freeze()
