"""Reads of the ledger that more than one entry point needs."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection

from django.db import connection
from django.db.models import Func, IntegerField, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, ExtractYear, Substr

from liaison.domain.enums import DatePrecision
from liaison.ledger.models import Actor, ActorName, AuditEntry, Exchange, Participation
from liaison.ledger.models.fields import normalize_name


class ActorIndex:
    """Every name and alias of every live actor, for resolving names to actors."""

    def __init__(self) -> None:
        self._ids: dict[str, set[int]] = defaultdict(set)
        live = Actor.objects.filter(merged_into=None)
        for actor_id, name in live.values_list("id", "name"):
            self._ids[normalize_name(name)].add(actor_id)
        names = ActorName.objects.filter(actor__merged_into=None)
        for actor_id, normalized in names.values_list("actor_id", "normalized"):
            self._ids[normalized].add(actor_id)

    def candidates(self, name: str) -> set[int]:
        """Return the ids of every actor that has this name, alias or abbreviation."""
        return set(self._ids.get(normalize_name(name), ()))

    def add(self, actor: Actor) -> None:
        """Make a new actor findable by its canonical name."""
        self._ids[normalize_name(actor.name)].add(actor.pk)


def exchanges_with_details() -> QuerySet[Exchange]:
    """Return exchanges with what their pages and exports show, fetched in few queries."""
    return Exchange.objects.select_related(
        "country", "mechanism", "edition", "unit"
    ).prefetch_related("participations__actor", "attendances__person", "attendances__org")


def actors_with_details() -> QuerySet[Actor]:
    """Return live actors with their country and names."""
    return (
        Actor.objects.filter(merged_into=None)
        .select_related("country", "parent")
        .prefetch_related("names", "external_ids")
    )


def year_of(field: str) -> Combinable | Func:
    """Return the year of a date column as an expression that groups fast.

    SQLite keeps dates as 'YYYY-MM-DD' text: cutting the first four characters is done in C,
    where Django's ExtractYear calls back into Python for every row.
    """
    if connection.vendor == "sqlite":
        return Cast(Substr(field, 1, 4), IntegerField())
    return ExtractYear(field)


def ledger_version() -> str:
    """Return a mark that changes whenever the ledger does: every write adds an audit entry."""
    newest = AuditEntry.objects.order_by("-id").values_list("id", "at").first()
    if newest is None:
        return "0"
    last, at = newest
    return f"{last}@{at.isoformat() if at else ''}"


def exchanges_near(
    actor_ids: Collection[int],
    first: datetime.date,
    last: datetime.date,
    shared: int,
    types: Collection[str],
    first_exact: datetime.date,
) -> list[tuple[int, int, str, datetime.date, str]]:
    """Return (exchange, actor, type, date, precision) of every participant of the exchanges of
    these types dated first..last (first_exact..last when dated to the day) in which at least
    `shared` of these actors took part, or only these.

    Plain SQL: ingest asks this once per event, and building the ORM query cost more than
    running it.
    """
    exchange, participation = Exchange._meta.db_table, Participation._meta.db_table
    marks = ", ".join(["%s"] * len(actor_ids))
    kinds = ", ".join(["%s"] * len(types))
    # "+q.actor_id" keeps SQLite from reading every exchange of a busy actor (the home party
    # takes part in most) when the few exchanges of the period are quicker to read; PostgreSQL
    # plans this well by itself, and worse with it.
    actor = "+q.actor_id" if connection.vendor == "sqlite" else "q.actor_id"
    sql = (
        f"SELECT p.exchange_id, p.actor_id, e.type, e.date, e.date_precision"
        f" FROM {participation} p JOIN {exchange} e ON e.id = p.exchange_id"
        f" WHERE p.exchange_id IN ("
        f" SELECT q.exchange_id FROM {participation} q JOIN {exchange} f ON f.id = q.exchange_id"
        f" WHERE f.date >= %s AND f.date <= %s AND (f.date >= %s OR f.date_precision <> %s)"
        f" AND f.type IN ({kinds}) AND {actor} IN ({marks})"
        f" GROUP BY q.exchange_id HAVING COUNT(DISTINCT q.actor_id) >= %s"
        f" OR COUNT(DISTINCT q.actor_id) = (SELECT COUNT(DISTINCT r.actor_id)"
        f" FROM {participation} r WHERE r.exchange_id = q.exchange_id))"
    )
    period = [first.isoformat(), last.isoformat(), first_exact.isoformat(), DatePrecision.DAY]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*period, *types, *actor_ids, shared])
        rows = cursor.fetchall()
    # SQLite gives dates back as text.
    return [
        (pk, actor, kind, day if isinstance(day, datetime.date) else _day(day), precision)
        for pk, actor, kind, day, precision in rows
    ]


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
