"""Aggregate reads for analytics: grouped counts computed in the database, returned as rows.

Every function takes a `Scope` (the period, the units, what the reader may see) and returns
plain rows whose number grows with the registry (actors, countries, units), never with the
number of exchanges, except `counterpart_edges`, which streams the network's ties.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from django.db import connection, connections, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractYear, Substr

from liaison.domain.enums import ExchangeType, ParticipantRole, ReviewStatus, Visibility
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.models import (
    Actor,
    Attendance,
    Claim,
    Country,
    CountryGroup,
    Evidence,
    Exchange,
    GroupMembership,
    Mechanism,
    Participation,
    Unit,
)

# Roles that put an actor on the travelling or writing side, and on the receiving side.
T = TypeVar("T")

GOING_ROLES = (ParticipantRole.GUEST, ParticipantRole.DELEGATION_HEAD)
RECEIVING_ROLES = (ParticipantRole.HOST, ParticipantRole.ORGANIZER)


@dataclass(frozen=True)
class Scope:
    """Which exchanges count: a period, units, what the reader may see, and whose side is home.

    `visible_units` is what `liaison.web.access.visible_units` returns for the reader: None sees
    every internal exchange, a set sees public exchanges and the internal ones of those units.
    `unit_ids` None means every unit (and exchanges without one). Rejected exchanges never
    count; proposed (not yet reviewed) ones count unless `reviewed_only`.
    """

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    unit_ids: frozenset[int] | None = None
    visible_units: frozenset[int] | None = None
    reviewed_only: bool = False
    home: str | None = None
    home_actor_ids: frozenset[int] = field(default=frozenset())

    def until(self, day: datetime.date | None) -> Scope:
        """Return the same scope ending on another day."""
        return replace(self, date_to=day)


def exchange_q(scope: Scope, prefix: str = "", dated: bool = True) -> Q:
    """Return the condition on exchanges (reached through `prefix`, e.g. 'exchange__')."""
    q = ~Q(**{f"{prefix}review_status": ReviewStatus.REJECTED})
    if scope.reviewed_only:
        q &= ~Q(**{f"{prefix}review_status": ReviewStatus.PROPOSED})
    if dated and scope.date_from is not None:
        q &= Q(**{f"{prefix}date__gte": scope.date_from})
    if scope.date_to is not None:
        q &= Q(**{f"{prefix}date__lte": scope.date_to})
    if scope.unit_ids is not None:
        q &= Q(**{f"{prefix}unit_id__in": sorted(scope.unit_ids)})
    if scope.visible_units is not None:
        # The rule of liaison.web.access: public, or internal to a unit the reader sees.
        q &= Q(**{f"{prefix}visibility": Visibility.PUBLIC}) | Q(
            **{f"{prefix}unit_id__in": sorted(scope.visible_units)}
        )
    return q


def exchanges(scope: Scope) -> QuerySet[Exchange]:
    """Return the exchanges that count in a scope, unordered."""
    return Exchange.objects.filter(exchange_q(scope)).order_by()


def scanned(rows: QuerySet[Any, Any]) -> tuple[str, tuple[Any, ...]]:
    """Return the SQL of a query of exchanges that reads the table straight through.

    Without statistics SQLite walks a date or type index and fetches every row it points at:
    over most of a large ledger that is far slower than reading the table in order.
    """
    sql, params = rows.query.sql_with_params()
    if connection.vendor == "sqlite":
        table = f'FROM "{Exchange._meta.db_table}"'
        if table in sql:
            sql = sql.replace(table, f"{table} NOT INDEXED", 1)
    return sql, tuple(params)


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _day(value: datetime.date | str) -> datetime.date:
    """A date as the database returned it (SQLite returns text to a plain cursor)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _by_exchange(counted: str, table: str = "", *aliases: str) -> str:
    """FROM the counted exchanges `e`, then each participation alias of that exchange.

    The exchanges come first (CROSS JOIN keeps that order on SQLite), so participations are
    read by exchange from their unique index rather than each exchange looked up at random.
    """
    table = table or Participation._meta.db_table
    joins = "".join(f" CROSS JOIN {table} {alias}" for alias in aliases)
    return f"FROM ({counted}) e{joins}"


def reads_in_parallel() -> bool:
    """Whether a second connection, in another thread, would see what this one sees.

    Not inside a transaction (its writes are not yet visible to others), nor on an in-memory
    SQLite database (each connection has its own).
    """
    if connection.in_atomic_block:
        return False
    name = str(connection.settings_dict["NAME"])
    return not (connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name))


def in_background(work: Callable[[], T]) -> Future[T]:
    """Run some reads on another thread and its own connection, closed when they are done."""

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analytics")
    try:
        return pool.submit(run)
    finally:
        pool.shutdown(wait=False)


def participations(scope: Scope, counterparts_only: bool = True) -> QuerySet[Participation]:
    """Return the participations in counted exchanges (of counterparts only, by default)."""
    rows = Participation.objects.filter(exchange_q(scope, "exchange__")).order_by()
    if counterparts_only and scope.home_actor_ids:
        rows = rows.exclude(actor_id__in=sorted(scope.home_actor_ids))
    return rows


def unit_subtree(code: str) -> frozenset[int]:
    """Return the ids of the unit with this code and of every unit below it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    root = None
    for pk, parent, unit_code in Unit.objects.values_list("id", "parent_id", "code"):
        children[parent].append(pk)
        if unit_code == code:
            root = pk
    if root is None:
        raise LiaisonError(ErrorCode.UNKNOWN_UNIT, f"no unit has the code {code!r}")
    seen, stack = {root}, [root]
    while stack:
        for child in children[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


def busiest_country(scope: Scope) -> str | None:
    """Return the country whose actors take part in the most exchanges (the office's own).

    Participations are counted per actor in the database, then summed per country here.
    """
    counted, params = scanned(exchanges(scope).values("id"))
    per_actor = _fetch(
        f"SELECT p.actor_id, COUNT(*) {_by_exchange(counted, '', 'p')}"
        " WHERE p.exchange_id = e.id GROUP BY p.actor_id",
        params,
    )
    country_of = dict(Actor.objects.filter(country__isnull=False).values_list("id", "country_id"))
    totals: Counter[str] = Counter()
    for actor_id, n in per_actor:
        country = country_of.get(actor_id)
        if country:
            totals[country] += n
    if not totals:
        return None
    return min(totals, key=lambda code: (-totals[code], code))


def home_actors(home: str | None) -> frozenset[int]:
    """Return the ids of the actors of the home country."""
    if not home:
        return frozenset()
    return frozenset(Actor.objects.filter(country_id=home).values_list("id", flat=True))


@dataclass(frozen=True)
class ActorFacts:
    """What analytics needs to know of an actor."""

    id: int
    name: str
    kind: str
    country: str | None
    country_name: str
    region: str
    development_status: str
    parent_id: int | None = None
    parent_kind: str = ""


def actor_facts() -> dict[int, ActorFacts]:
    """Return every live actor's name, kind, country, region and development status."""
    rows = Actor.objects.filter(merged_into=None).values_list(
        "id",
        "name",
        "kind",
        "country_id",
        "country__name",
        "country__region",
        "country__development_status",
        "parent_id",
        "parent__kind",
    )
    return {
        row[0]: ActorFacts(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4] or "",
            row[5] or "",
            row[6] or "",
            row[7],
            row[8] or "",
        )
        for row in rows
    }


@dataclass(frozen=True)
class CountryFacts:
    """A country as analytics sees it."""

    iso3: str
    name: str
    kind: str
    region: str
    development_status: str


def countries() -> list[CountryFacts]:
    """Return every country and territory of the reference data."""
    rows = Country.objects.values_list("iso3", "name", "kind", "region", "development_status")
    return [CountryFacts(*row) for row in rows]


def group_members(day: datetime.date) -> dict[str, tuple[str, frozenset[str]]]:
    """Return each country group's name and its member countries on a day."""
    names = dict(CountryGroup.objects.values_list("code", "name"))
    members: dict[str, set[str]] = {code: set() for code in names}
    current = GroupMembership.objects.filter(
        Q(joined__isnull=True) | Q(joined__lte=day), Q(left__isnull=True) | Q(left__gte=day)
    )
    for group, country in current.values_list("group_id", "country_id"):
        members[group].add(country)
    return {code: (names[code], frozenset(members[code])) for code in sorted(names)}


def mechanism_names() -> dict[int, str]:
    """Return the name of every mechanism."""
    return dict(Mechanism.objects.values_list("id", "name"))


def unit_names() -> dict[int, tuple[str, str]]:
    """Return the code and name of every unit."""
    return {pk: (code, name) for pk, code, name in Unit.objects.values_list("id", "code", "name")}


def _year(field: str) -> Func:
    """The year of a date column, computed by the database itself.

    Django's ExtractYear on SQLite calls back into Python for every row; the first four
    characters of SQLite's ISO date text are the year, read natively.
    """
    if connection.vendor == "sqlite":
        return Cast(Substr(field, 1, 4), IntegerField())
    return ExtractYear(field)


def _place(scope: Scope) -> Case:
    """Where an exchange was held: "home", "abroad" or "unknown" (no country recorded)."""
    return Case(
        When(country_id__isnull=True, then=Value("unknown")),
        When(country_id=scope.home or "", then=Value("home")),
        default=Value("abroad"),
    )


def _cut(days: Sequence[datetime.date], prefix: str = "") -> Case | Value:
    """The index of the first of some ascending days on or after an exchange's date."""
    if not days:
        return Value(0)
    return Case(
        *[When(**{f"{prefix}date__lte": day}, then=Value(i)) for i, day in enumerate(days)],
        default=Value(len(days)),
    )


@dataclass(frozen=True)
class CubeRow:
    """A count of exchanges sharing year, type, channel, mechanism, unit, place and cut."""

    year: int
    type: str
    channel: str
    mechanism_id: int | None
    unit_id: int | None
    place: str  # "home", "abroad" or "unknown"
    count: int
    cut: int = 0  # the index of the first of some days on or after the exchanges' dates


def exchange_cube(scope: Scope, days: Sequence[datetime.date] = ()) -> list[CubeRow]:
    """Count exchanges grouped by every dimension the figures break them down by, in one scan.

    `days` (ascending) add the cut: which of them is the first on or after each exchange's
    date, so counts up to each day (claims' dates) come from the same rows.
    """
    grouped = (
        exchanges(scope)
        .annotate(year=_year("date"), place=_place(scope), cut=_cut(days))
        .values("year", "type", "channel", "mechanism_id", "unit_id", "place", "cut")
        .annotate(n=Count("id"))
    )
    sql, params = scanned(grouped)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    rows = [
        CubeRow(
            int(r["year"]),
            r["type"],
            r["channel"],
            r["mechanism_id"],
            r["unit_id"],
            r["place"],
            int(r["n"]),
            int(r["cut"]),
        )
        for r in found
    ]
    rows.sort(key=lambda r: (r.year, r.type, r.channel, r.mechanism_id or 0, r.unit_id or 0, r.cut))
    return rows


@dataclass(frozen=True)
class ContactRow:
    """One counterpart's contact: first and last day up to the scope's end, counts in the period."""

    actor_id: int
    first: datetime.date
    last: datetime.date
    exchanges: int
    briefings: int


def contact_rows(scope: Scope) -> list[ContactRow]:
    """Return every counterpart with an exchange up to the scope's end, in one grouped scan.

    First and last contact look back to the start of the record; the counts are of the period.
    """
    return contacts_and_years(scope)[0]


def contacts_and_years(scope: Scope) -> tuple[list[ContactRow], list[tuple[int, int]]]:
    """Return the contact rows and the counterparts in contact per year, from one scan.

    The database groups participations by counterpart and year (rows grow with the
    counterparts and the years, not with the exchanges); the rows are folded here.
    """
    in_period = Q(date__gte=scope.date_from) if scope.date_from else Q(pk__isnull=False)
    briefing = in_period & Q(type=ExchangeType.BRIEFING)
    counted, params = scanned(
        exchanges(replace(scope, date_from=None))
        .annotate(
            year=_year("date"),
            in_period=Case(When(in_period, then=Value(1)), default=Value(0)),
            briefing=Case(When(briefing, then=Value(1)), default=Value(0)),
        )
        .values("id", "date", "year", "in_period", "briefing")
    )
    sql = (
        "SELECT p.actor_id, e.year, MIN(e.date), MAX(e.date),"
        " COUNT(DISTINCT CASE WHEN e.in_period = 1 THEN e.id END),"
        " COUNT(DISTINCT CASE WHEN e.briefing = 1 THEN e.id END)"
        f" {_by_exchange(counted, '', 'p')} WHERE p.exchange_id = e.id"
    )
    args = list(params)
    if scope.home_actor_ids:
        sql += f" AND p.actor_id NOT IN ({', '.join(['%s'] * len(scope.home_actor_ids))})"
        args += sorted(scope.home_actor_ids)
    found: dict[int, ContactRow] = {}
    per_year: Counter[int] = Counter()
    for actor_id, year, first_day, last_day, n, briefings in _fetch(
        sql + " GROUP BY p.actor_id, e.year", args
    ):
        first, last = _day(first_day), _day(last_day)
        if n:
            per_year[int(year)] += 1
        row = found.get(actor_id)
        if row is None:
            found[actor_id] = ContactRow(actor_id, first, last, n, briefings)
        else:
            found[actor_id] = ContactRow(
                row.actor_id,
                min(row.first, first),
                max(row.last, last),
                row.exchanges + n,
                row.briefings + briefings,
            )
    return [found[pk] for pk in sorted(found)], sorted(per_year.items())


def briefing_people(scope: Scope) -> int:
    """Return the distinct people recorded at briefings, other than those of home actors."""
    rows = Attendance.objects.filter(
        exchange_q(scope, "exchange__"), exchange__type=ExchangeType.BRIEFING
    )
    if scope.home_actor_ids:
        rows = rows.exclude(org_id__in=sorted(scope.home_actor_ids))
    return rows.aggregate(n=Count("person_id", distinct=True))["n"] or 0


def role_directions(scope: Scope, type_: ExchangeType, unplaced: bool) -> dict[str, int]:
    """Count exchanges of a type by which side holds the sending and receiving roles.

    Keys are "sent", "received" and "unknown"; an exchange counts as sent when a home actor
    goes or writes, or (no home actor holding either role) a counterpart receives; received the
    other way round. `unplaced` limits the count to exchanges without a country.
    """
    return role_directions_by_cut(scope, type_, unplaced, ()).get(0, dict.fromkeys(DIRECTIONS, 0))


DIRECTIONS = ("sent", "received", "unknown")


def role_directions_by_cut(
    scope: Scope, type_: ExchangeType, unplaced: bool, days: Sequence[datetime.date]
) -> dict[int, dict[str, int]]:
    """Count as `role_directions` does, by the first of `days` each exchange is not after."""
    if type_ is ExchangeType.CORRESPONDENCE:
        going: tuple[str, ...] = (ParticipantRole.SENDER,)
        receiving: tuple[str, ...] = (ParticipantRole.RECIPIENT,)
    else:
        going, receiving = GOING_ROLES, RECEIVING_ROLES
    rows = exchanges(scope).filter(type=type_)
    if unplaced:
        rows = rows.filter(country__isnull=True)
    home = scope.home_actor_ids
    counted, params = scanned(rows.annotate(cut=_cut(days)).values("id", "cut"))
    # One pass over the participations of the counted exchanges: per exchange, whether a
    # home actor / a counterpart holds a going / receiving role; then count the exchanges by
    # those four flags (cheaper than four correlated EXISTS per exchange).
    marks = ", ".join(["%s"] * len(home)) or "NULL"
    going_marks = ", ".join(["%s"] * len(going))
    receiving_marks = ", ".join(["%s"] * len(receiving))
    at_home = f"p.actor_id IN ({marks})" if home else "1 = 0"
    flags = [
        (at_home, going_marks, going),
        (at_home, receiving_marks, receiving),
        (f"NOT ({at_home})", going_marks, going),
        (f"NOT ({at_home})", receiving_marks, receiving),
    ]
    columns: list[str] = []
    args: list[Any] = []
    for index, (who, role_marks, roles) in enumerate(flags):
        columns.append(
            f"MAX(CASE WHEN {who} AND p.role IN ({role_marks}) THEN 1 ELSE 0 END) AS f{index}"
        )
        args += [*(sorted(home) if home else []), *roles]
    table = Participation._meta.db_table
    sql = (
        f"SELECT cut, f0, f1, f2, f3, COUNT(*) FROM (SELECT e.cut AS cut, {', '.join(columns)} "
        f"{_by_exchange(counted, table, 'p')} WHERE p.exchange_id = e.id "
        f"GROUP BY p.exchange_id, e.cut) x GROUP BY cut, f0, f1, f2, f3"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, *params])
        grouped = [
            {
                "cut": int(cut),
                "home_goes": bool(f0),
                "home_receives": bool(f1),
                "other_goes": bool(f2),
                "other_receives": bool(f3),
                "n": int(n),
            }
            for cut, f0, f1, f2, f3, n in cursor.fetchall()
        ]
    found: dict[int, dict[str, int]] = {}
    for r in grouped:
        counts = found.setdefault(r["cut"], dict.fromkeys(DIRECTIONS, 0))
        home_role = r["home_goes"] or r["home_receives"]
        sent = bool(home and (r["home_goes"] or (not home_role and r["other_receives"])))
        received = bool(home and (r["home_receives"] or (not home_role and r["other_goes"])))
        counts["sent"] += r["n"] if sent else 0
        counts["received"] += r["n"] if received else 0
        counts["unknown"] += r["n"] if not (sent or received) else 0
    return found


def counterpart_edges(
    scope: Scope, counterparts_only: bool = True, chunk: int = 50_000
) -> Iterator[tuple[int, int, int]]:
    """Yield (actor, actor, shared exchanges) for each pair of actors that share an exchange.

    The database pairs and counts; the rows are streamed a chunk at a time, so a caller that
    summarises them holds no more than a chunk. Home actors are left out unless asked for.
    """
    table = Participation._meta.db_table
    counted, params = scanned(exchanges(scope).values("id"))
    sql = (
        f"SELECT a.actor_id, b.actor_id, COUNT(DISTINCT e.id) "
        f"{_by_exchange(counted, table, 'a', 'b')} "
        f"WHERE a.exchange_id = e.id AND b.exchange_id = e.id AND a.actor_id < b.actor_id"
    )
    args = list(params)
    if counterparts_only and scope.home_actor_ids:
        marks = ", ".join(["%s"] * len(scope.home_actor_ids))
        sql += f" AND a.actor_id NOT IN ({marks}) AND b.actor_id NOT IN ({marks})"
        args += sorted(scope.home_actor_ids) * 2
    sql += " GROUP BY a.actor_id, b.actor_id"
    # A server-side cursor on PostgreSQL, so the client holds a chunk, not every tie; in a
    # transaction (no copy kept past it), planned for reading every row, not the first few.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        if connection.vendor == "postgresql":
            with connection.cursor() as setting:
                setting.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        cursor.execute(sql, args)
        while rows := cursor.fetchmany(chunk):
            for a, b, n in rows:
                yield int(a), int(b), int(n)


@dataclass(frozen=True)
class ClaimRow:
    """A stored claim with the first span that states it."""

    id: int
    value: float
    qualifier: str
    subject: str
    as_of: datetime.date | None
    review_status: str
    evidence: str
    source_title: str
    source_url: str


def claim_rows(scope: Scope) -> list[ClaimRow]:
    """Return the claims dated in the scope's period, and the undated ones, oldest first."""
    rows = Claim.objects.exclude(review_status=ReviewStatus.REJECTED)
    if scope.reviewed_only:
        rows = rows.exclude(review_status=ReviewStatus.PROPOSED)
    dated = Q()
    if scope.date_from is not None:
        dated &= Q(as_of__gte=scope.date_from)
    if scope.date_to is not None:
        dated &= Q(as_of__lte=scope.date_to)
    if dated:
        rows = rows.filter(dated | Q(as_of__isnull=True))
    first_span = Evidence.objects.filter(claim_id=OuterRef("pk")).order_by("start", "id")
    found = (
        rows.annotate(evidence_text=Subquery(first_span.values("text")[:1]))
        .values_list(
            "id",
            "value",
            "qualifier",
            "subject",
            "as_of",
            "review_status",
            "evidence_text",
            "source__title",
            "source__url",
        )
        .order_by(F("as_of").asc(nulls_last=True), "id")
    )
    return [
        ClaimRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", r[8] or "")
        for r in found
    ]
