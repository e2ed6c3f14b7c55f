"""Build the scope a report counts in: period, unit and its subtree, reader, home side."""

from __future__ import annotations

import datetime
from dataclasses import replace

from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger import figures_queries as q
from liaison.ledger.figures_queries import Scope


def build_scope(
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    unit: str | None = None,
    visible_units: frozenset[int] | None = None,
    reviewed_only: bool = False,
    home: str | None = None,
) -> Scope:
    """Return the scope of a report; the home country is inferred when not given.

    `unit` counts the exchanges recorded by that unit and every unit below it. The inferred
    home country is the one whose actors have the most participations (see docs/metrics.md).
    """
    if date_from and date_to and date_from > date_to:
        raise LiaisonError(ErrorCode.BAD_DATE, f"the period starts ({date_from}) after it ends")
    scope = Scope(
        date_from=date_from,
        date_to=date_to,
        unit_ids=q.unit_subtree(unit) if unit else None,
        visible_units=visible_units,
        reviewed_only=reviewed_only,
    )
    country = home.upper() if home else q.busiest_country(scope)
    return replace(scope, home=country, home_actor_ids=q.home_actors(country))


def scope_end(scope: Scope) -> datetime.date:
    """Return the last day of the scope's period (today when it has no end)."""
    return scope.date_to or datetime.datetime.now(tz=datetime.UTC).date()
