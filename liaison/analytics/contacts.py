"""Contact over time: first and last contact per counterpart, dormant ones, countries unreached."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from liaison.ledger.figures_queries import ActorFacts, ContactRow, CountryFacts

SOVEREIGN = "sovereign"


@dataclass(frozen=True)
class ContactSpan:
    """A counterpart's first and last contact up to period end, and its exchanges in the period."""

    actor_id: int
    name: str
    kind: str
    country: str
    first: datetime.date
    last: datetime.date
    exchanges: int


def years_before(day: datetime.date, years: int) -> datetime.date:
    """Return the same day some years earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def contact_spans(
    contacts: Iterable[ContactRow], facts: dict[int, ActorFacts]
) -> list[ContactSpan]:
    """Return every counterpart's first and last contact, most recent contact first."""
    spans = [
        ContactSpan(
            row.actor_id,
            facts[row.actor_id].name,
            facts[row.actor_id].kind,
            facts[row.actor_id].country or "",
            row.first,
            row.last,
            row.exchanges,
        )
        for row in contacts
        if row.actor_id in facts
    ]
    spans.sort(key=lambda s: (-s.last.toordinal(), s.name))
    return spans


def dormant(spans: Iterable[ContactSpan], end: datetime.date, years: int) -> list[ContactSpan]:
    """Return the counterparts whose last contact is more than `years` years before `end`."""
    cutoff = years_before(end, years)
    return sorted((s for s in spans if s.last <= cutoff), key=lambda s: (s.last, s.name))


def countries_without_contact(
    ids: Iterable[int],
    facts: dict[int, ActorFacts],
    countries: Iterable[CountryFacts],
    home: str | None,
) -> list[CountryFacts]:
    """Return the sovereign countries, home aside, with no counterpart in contact."""
    reached = {facts[pk].country for pk in ids if pk in facts}
    return sorted(
        (c for c in countries if c.kind == SOVEREIGN and c.iso3 != home and c.iso3 not in reached),
        key=lambda c: (c.region, c.name),
    )
