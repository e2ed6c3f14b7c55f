"""The NinjaAPI: routers per resource, authentication, and how errors become responses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.web.api import actors, claims, exchanges, mechanisms, sources
from liaison.web.api.auth import SessionAuth, TokenAuth
from liaison.web.api.docs import OfflineSwagger

DESCRIPTION = """\
The ledger of party-to-party diplomacy as JSON: counterparts, exchanges, mechanisms, sources
and claims. Authenticate with `Authorization: Bearer <token>` (a token from
`liaison token create USERNAME`) or, from a browser, with the session of the pages (writes then
need the `X-CSRFToken` header). Viewers read; editors write the exchanges of their unit and the
units below it, counterparts, mechanisms and claims; admins write everything. Records the caller
may not see answer 404. See docs/api.md.
"""

# The status of each coded error; any other code is a bad request.
STATUS = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.PERMISSION: 403,
}

api = NinjaAPI(
    title="liaison API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs=OfflineSwagger(),
    docs_url="/docs",
)
api.add_router("/actors", actors.router)
api.add_router("/exchanges", exchanges.router)
api.add_router("/mechanisms", mechanisms.router)
api.add_router("/sources", sources.router)
api.add_router("/claims", claims.router)


@api.exception_handler(LiaisonError)
def liaison_error(request: HttpRequest, error: LiaisonError) -> HttpResponse:
    """Answer a refused input with its message and code; nothing was written."""
    status = STATUS.get(error.code, 400)
    return api.create_response(
        request, {"detail": error.message, "code": error.code}, status=status
    )
