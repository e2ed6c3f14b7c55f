"""Template context shared by every page: what the user may do, for the buttons shown."""

from __future__ import annotations

from django.http import HttpRequest

from liaison.web.permissions import can_write


def permissions(request: HttpRequest) -> dict[str, bool]:
    """Tell the templates whether to offer editing (each view checks again on its own)."""
    return {"can_write": can_write(request.user)}
