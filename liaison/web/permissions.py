"""Who may change what: viewers read, editors write for their unit and below, admins write all.

An editor records and edits the exchanges of their own unit and of the units below it, and
edits the shared registry (counterparts, mechanisms) and the review queue. An exchange with no
unit (what ingest proposes) belongs to nobody yet, so any editor may review or correct it.
Seeing a record is access.py's rule; every check here comes on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from liaison.domain.enums import UserRole
from liaison.ledger.models import Exchange, Unit
from liaison.web.access import AnyUser, membership_of, visible_units

P = ParamSpec("P")


def role_of(user: AnyUser) -> UserRole | None:
    """Return a user's role: superusers are admins; None for anonymous users."""
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return UserRole.ADMIN
    # Kept on the user object, which lives as long as its request (as access.visible_units).
    role: UserRole | None = user.__dict__.get("_liaison_role")
    if role is None:
        membership = membership_of(user)
        role = UserRole(membership.role) if membership else UserRole.VIEWER
        user.__dict__["_liaison_role"] = role
    return role


def can_write(user: AnyUser) -> bool:
    """Tell whether a user may change anything at all (editors and admins)."""
    return role_of(user) in (UserRole.EDITOR, UserRole.ADMIN)


def editable_units(user: AnyUser) -> frozenset[int] | None:
    """Return the ids of the units whose exchanges a user may edit; None means every unit."""
    role = role_of(user)
    if role is UserRole.ADMIN:
        return None
    if role is UserRole.EDITOR:
        # An editor writes exactly where a member of their unit reads: their unit and below.
        return visible_units(user)
    return frozenset()


def unit_choices(user: AnyUser) -> list[Unit]:
    """Return the units a user may record an exchange for, by code."""
    units = editable_units(user)
    rows = Unit.objects.order_by("code")
    return list(rows if units is None else rows.filter(pk__in=units))


def can_edit_exchange(user: AnyUser, exchange: Exchange) -> bool:
    """Tell whether a user may edit or review one exchange."""
    if not can_write(user):
        return False
    units = editable_units(user)
    return units is None or exchange.unit_id is None or exchange.unit_id in units


def writer_required(
    view: Callable[Concatenate[HttpRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Let only logged-in editors and admins through; others get 403 (anonymous: the login)."""

    @wraps(view)
    def checked(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not can_write(request.user):
            raise PermissionDenied("Only editors and administrators may change the ledger.")
        return view(request, *args, **kwargs)

    return login_required(checked)
