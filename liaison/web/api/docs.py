"""The API's docs page, served with the Swagger UI files that come with django-ninja (no CDN)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import json_script as _json_script
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

# The files of the page, shipped inside the django-ninja package we depend on.
ASSETS = Path(ninja.__file__).parent / "static" / "ninja"
FILES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="{assets}favicon.png">
<link rel="stylesheet" href="{assets}swagger-ui.css">
</head>
<body data-csrf-token="{csrf}" data-api-csrf="true">
{settings}
<div id="swagger-ui"></div>
<script src="{assets}swagger-ui-bundle.js"></script>
<script src="{assets}swagger-ui-init.js"></script>
</body>
</html>
"""


class OfflineSwagger(DocsBase):
    """Swagger UI from the installed package, so that the docs page works with no internet."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        """Render the page around the OpenAPI document's address."""
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout"}
        assets = reverse(f"{api.urls_namespace}:docs-asset", kwargs={"name": "x"})[:-1]
        # The session's CSRF token lets a logged-in user try the write endpoints from the page.
        html = format_html(
            PAGE,
            title=api.title,
            assets=assets,
            csrf=get_token(request),
            settings=_json_script(settings, "swagger-settings"),
        )
        return HttpResponse(html)


def asset(request: HttpRequest, name: str) -> FileResponse:
    """Serve one file of the docs page."""
    if name not in FILES:
        raise Http404(name)
    response = FileResponse((ASSETS / name).open("rb"), content_type=FILES[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
