"""Logging in, with a limit on failed attempts per user name and address."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def failures_key(request: HttpRequest, username: str) -> str:
    """Return the cache key counting failed log-ins of a user name from one address."""
    # REMOTE_ADDR, not X-Forwarded-For: a client could forge the header to dodge the limit.
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{username.strip().casefold()}|{address}".encode()).hexdigest()
    return f"liaison:login-failures:{digest}"


class LoginView(auth_views.LoginView):
    """Django's log-in page, refusing to check passwords after 5 failures in 15 minutes."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Check the password unless this user name and address failed too often."""
        key = failures_key(request, str(request.POST.get("username", "")))
        if int(cache.get(key, 0)) >= MAX_FAILURES:
            form = AuthenticationForm(request, initial={"username": request.POST.get("username")})
            context = self.get_context_data(form=form, locked=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """Count the failure; the window starts at the first failure."""
        key = failures_key(self.request, str(self.request.POST.get("username", "")))
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, WINDOW_SECONDS)
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Log in and forget earlier failures."""
        cache.delete(failures_key(self.request, form.get_user().get_username()))
        return super().form_valid(form)
