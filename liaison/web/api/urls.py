"""URL routes of the API, mounted at /api/ (namespace "api")."""

from django.urls import path

from liaison.web.api import docs
from liaison.web.api.api import api

_routes, _app, _namespace = api.urls

urlpatterns = [
    path("docs/assets/<str:name>", docs.asset, name="docs-asset"),
    *_routes,
]
