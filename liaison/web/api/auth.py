"""Who calls the API: a bearer token, or a logged-in browser session (with CSRF for writes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from liaison.web.apitokens.tokens import user_for_token

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, a token made with `liaison token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """Return the token's user and make it the request's user."""
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The session of a user logged in to the pages; writes need the CSRF token too."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Ninja checks CSRF before it knows who calls; an anonymous call must get 401, not 403.
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        """Return the logged-in user, or None."""
        if key is None or not request.user.is_authenticated:
            return None
        return request.user


def user_of(request: HttpRequest) -> User:
    """Return the authenticated user of an API request."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise HttpError(401, "Unauthorized")
    return user
