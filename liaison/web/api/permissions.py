"""The pages' write rules (liaison.web.permissions), as API refusals: 403 with the reason.

Seeing a record is access.py's rule and comes first: what the caller may not see is a 404.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from ninja.errors import HttpError

from liaison.ledger.models import Exchange, Unit
from liaison.web.permissions import can_edit_exchange, can_write, editable_units


def require_editor(user: User) -> None:
    """Refuse a caller who may change nothing (viewers)."""
    if not can_write(user):
        raise HttpError(403, "only editors and admins may change the ledger")


def require_unit(user: User, unit: Unit | None) -> None:
    """Refuse to record an exchange for a unit the caller may not write for."""
    require_editor(user)
    units = editable_units(user)
    if units is not None and (unit is None or unit.pk not in units):
        name = unit.code if unit else "no unit"
        raise HttpError(403, f"you may write only for your unit and the units below it, not {name}")


def require_exchange(user: User, exchange: Exchange) -> None:
    """Refuse a change to an exchange of a unit the caller may not write for."""
    require_editor(user)
    if not can_edit_exchange(user, exchange):
        raise HttpError(
            403, "you may change only the exchanges of your unit and the units below it"
        )
