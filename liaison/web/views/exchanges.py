"""Exchanges: the faceted list (with CSV and JSON downloads) and the page of one exchange."""

from __future__ import annotations

import datetime
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from hashlib import sha256
from html import escape
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    Field,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from liaison.ledger.export import EXCHANGE_COLUMNS, exchange_row
from liaison.ledger.models import (
    Actor,
    ActorName,
    Attendance,
    Country,
    Exchange,
    Mechanism,
    MechanismEdition,
    Participation,
    Person,
)
from liaison.web.access import visible_exchanges
from liaison.web.kept import kept
from liaison.web.listing import (
    FACET_SAMPLE,
    PER_PAGE,
    FacetSpec,
    apply_facets,
    choice_labels,
    counted_facets,
    download,
    list_context,
    paginate,
    sampled_facets,
    search_terms,
    sort_order,
    url_with,
    wants_download,
)
from liaison.web.permissions import can_edit_exchange
from liaison.web.search import id_field, is_common, searchable, text_ids
from liaison.web.templatetags.liaison import page_of, when
from liaison.web.views.audit import history

FACETS = (
    FacetSpec("type", "Type", "type", labels=choice_labels(Exchange, "type")),
    FacetSpec("channel", "Channel", "channel", labels=choice_labels(Exchange, "channel")),
    FacetSpec("year", "Year", "date__year"),
    FacetSpec("country", "Held in", "country_id", "country__name"),
    FacetSpec("mechanism", "Mechanism", "mechanism_id", "mechanism__name"),
    FacetSpec("unit", "Unit", "unit__code", "unit__name"),
    FacetSpec(
        "review_status", "Review", "review_status", labels=choice_labels(Exchange, "review_status")
    ),
)
NAMED_SET = 20_000  # participations; past this, names are matched exchange by exchange
NAMED_ACTORS = 5_000  # actors bearing a searched name, read as a list up to this many
NAMED_SET_ACTORS = 2_000  # past this many bearers too, names are matched exchange by exchange
NAMED_LIST = 200  # past this many, each participant's name is tested rather than its id
SORTS = {
    "-date": ("-date", "-id"),
    "date": ("date", "id"),
    "type": ("type", "-date", "-id"),
    "-type": ("-type", "-date", "-id"),
}


def with_details(exchanges: QuerySet[Exchange]) -> QuerySet[Exchange]:
    """Fetch what lists and downloads show of each exchange in a fixed number of queries."""
    # Actors and people come joined to their rows: prefetched on their own, Django 5.2 asks
    # SQLite for them with one OR term per id, past SQLite's limit in a download's chunk.
    return exchanges.select_related("country", "mechanism", "edition", "unit").prefetch_related(
        Prefetch("participations", Participation.objects.select_related("actor")),
        Prefetch("attendances", Attendance.objects.select_related("person", "org")),
    )


# What the lists of exchanges show (_exchange_rows.html), and nothing more.
ROW_FIELDS = (
    *("type", "channel", "date", "date_precision", "end_date", "city", "summary"),
    *("review_status", "visibility", "country__name", "mechanism__name", "edition__name"),
)


def list_rows(exchanges: QuerySet[Exchange]) -> QuerySet[Exchange]:
    """Fetch only what a list of exchanges shows: a page reads fewer columns and no people."""
    # Ordered by id within each exchange, as the model orders them, without joining the
    # exchanges again to sort by their dates.
    taking_part = (
        Participation.objects.select_related("actor")
        .only("exchange_id", "actor_id", "role", "actor__name")
        .order_by("exchange_id", "id")
    )
    return (
        exchanges.select_related("country", "mechanism", "edition")
        .only(*ROW_FIELDS)
        .prefetch_related(Prefetch("participations", taking_part))
    )


# What a written row reads of each exchange, in this order (see _written_row).
WRITTEN_SQL = (
    "SELECT e.id, e.type, e.channel, e.date, e.date_precision, e.end_date, e.city, e.summary,"
    " e.review_status, e.visibility, e.country_id, c.name, e.mechanism_id, m.name, d.name"
    f" FROM {Exchange._meta.db_table} e"
    f" LEFT JOIN {Country._meta.db_table} c ON c.{Country._meta.pk.column} = e.country_id"
    f" LEFT JOIN {Mechanism._meta.db_table} m ON m.id = e.mechanism_id"
    f" LEFT JOIN {MechanismEdition._meta.db_table} d ON d.id = e.edition_id"
    " WHERE e.id IN ({ids})"
)
WRITTEN_PEOPLE_SQL = (
    "SELECT p.exchange_id, p.actor_id, p.role, a.name"
    f" FROM {Participation._meta.db_table} p JOIN {Actor._meta.db_table} a ON a.id = p.actor_id"
    " WHERE p.exchange_id IN ({ids}) ORDER BY p.exchange_id, p.id"
)
TYPE_LABELS = choice_labels(Exchange, "type")
CHANNEL_LABELS = choice_labels(Exchange, "channel")
ROLE_LABELS = choice_labels(Participation, "role")
SUMMARY_CHARS = 180
PAGES = ("actor_detail", "country_detail", "mechanism_detail", "exchange_detail")
STAND_IN = "8675309"  # an id whose path is split around it: no route holds these digits
NO_ROWS = SafeString('<tr><td colspan="5" class="empty">No exchanges.</td></tr>')


@dataclass(frozen=True, slots=True)
class _Dates:
    """What `when` reads of an exchange."""

    date: datetime.date
    date_precision: str
    end_date: datetime.date | None


def written_rows(ids: Sequence[int]) -> SafeString:
    """Write the table rows of these exchanges, in this order, as the exchange_cells tag does.

    Straight from the columns, in two queries: the tag reads model instances (an exchange, its
    country, mechanism, edition, participations and actors), which cost more to build than
    anything else on a page of search results.
    """
    if not ids:
        return NO_ROWS
    marks = ", ".join(["%s"] * len(ids))
    # Plain SQL: building these two queries through the ORM cost more than running them.
    with connection.cursor() as cursor:
        cursor.execute(WRITTEN_SQL.format(ids=marks), list(ids))
        found = {row[0]: row for row in cursor.fetchall()}
        cursor.execute(WRITTEN_PEOPLE_SQL.format(ids=marks), list(ids))
        taking_part = cursor.fetchall()
    paths = {name: _path_of(name) for name in PAGES}
    actor_path = paths["actor_detail"]
    people: dict[int, list[str]] = {}
    for exchange_id, actor_id, role, name in taking_part:
        people.setdefault(exchange_id, []).append(
            f'<li><a href="{actor_path(actor_id)}">{escape(name)}</a>'
            f' <span class="role">{escape(ROLE_LABELS.get(role, role))}</span></li>'
        )
    rows = [_written_row(found[pk], people.get(pk, []), paths) for pk in ids if pk in found]
    return SafeString("\n".join(rows)) if rows else NO_ROWS


def _path_of(name: str) -> Callable[[Any], str]:
    """Return what writes the path of a record's page, escaped: page_of with the page's route
    looked up once for a whole list."""
    before, _, after = page_of(STAND_IN, name).partition(STAND_IN)
    before, after = escape(before), escape(after)
    # A number needs neither quoting nor escaping (most links: ids); a code of letters does.
    return lambda pk: (
        f"{before}{pk}{after}"
        if type(pk) is int
        else f"{before}{escape(quote(str(pk), safe=''))}{after}"
    )


def _written_row(
    row: tuple[Any, ...], people: list[str], paths: dict[str, Callable[[Any], str]]
) -> str:
    """Write one exchange's table row from WRITTEN_SQL's columns and its participants' items."""
    (pk, kind, channel, day, precision, end, city, summary, status, visibility) = row[:10]
    country_id, country, mechanism_id, mechanism, edition = row[10:]
    badges = ""
    if status in ("proposed", "rejected"):
        badges += f'<span class="badge {escape(status)}">{escape(status)}</span>'
    if visibility == "internal":
        badges += '<span class="badge internal">internal</span>'
    shown = ""
    if summary:
        text = unicodedata.normalize("NFC", summary)  # as Truncator reads it
        if len(text) > SUMMARY_CHARS:
            text = Truncator(text).chars(SUMMARY_CHARS)
        shown = f'<div class="summary">{escape(text)}</div>'
    place = escape(city)
    if country_id is not None:
        link = paths["country_detail"](country_id)
        place += (", " if city else "") + f'<a href="{link}">{escape(country)}</a>'
    held = ""
    if mechanism_id is not None:
        link = paths["mechanism_detail"](mechanism_id)
        held = f'<a href="{link}">{escape(mechanism)}</a>'
        if edition is not None:
            held += f'<div class="muted small">{escape(edition)}</div>'
    dates = escape(when(_Dates(day, precision, end)))
    return (
        f'<tr>\n      <td class="col-date"><a href="{paths["exchange_detail"](pk)}">'
        f"{dates}</a></td>\n"
        f'      <td><span class="tag">{escape(TYPE_LABELS.get(kind, kind))}</span>\n'
        f'        <div class="muted small">{escape(CHANNEL_LABELS.get(channel, channel))}</div>'
        f"\n        {badges}</td>\n"
        f'      <td>\n        <ul class="participants">{"".join(people)}</ul>\n        {shown}\n'
        f"      </td>\n      <td>{place}</td>\n      <td>{held}</td>\n    </tr>"
    )


def search_exchanges(
    exchanges: QuerySet[Exchange], q: str, narrowed: bool = False, rowwise: bool | None = None
) -> QuerySet[Exchange]:
    """Keep the exchanges that match every term in summary, outcomes, topics, city or names.

    A common term is tested on each row the list reads (its text, its participants), which
    stops once a page is full; a rare one is one set of ids (a UNION of the text index, the
    counterparts' and the people's exchanges) that PostgreSQL joins to. narrowed says that
    other filters leave few rows: each is then tested against the set, rather than every
    match fetched by its id. rowwise forces one way (None: decided per term).
    """
    terms = search_terms(q)
    if terms and narrowed:
        exchanges = searchable(exchanges)
    for term in terms:
        # The cap is part of the key: a list kept under another cap would be read as whole.
        key = f"names:{NAMED_ACTORS}:{sha256(term.encode()).hexdigest()}"
        actors, people, common, many = kept(key, partial(_bearers, term))
        text = text_ids(term, common if rowwise is None else rowwise)
        sets: list[tuple[str, Any]] = []
        elsewhere = Q()  # what is tested on each row
        if isinstance(text, Q):
            elsewhere = text
        else:
            sets.append(text)
        named = _named(term, actors, many)
        if isinstance(named, Subquery):
            alias = f"named_{len(exchanges.query.annotations)}"
            exchanges = exchanges.alias(**{alias: named})
            elsewhere |= Q(**{f"{alias}__isnull": False})
        elif named is not None:
            sets.append(named.order_by().query.sql_with_params())
        if people:
            attended = Attendance.objects.filter(person_id__in=people).values("exchange_id")
            sets.append(attended.order_by().query.sql_with_params())
        if sets:
            union = " UNION ".join(sql for sql, _ in sets)
            ids = RawSQL(union, [p for _, ps in sets for p in ps])
            elsewhere |= Q(**{f"{id_field(exchanges)}__in": ids})
        exchanges = exchanges.filter(elsewhere)
    return exchanges


def _bearers(term: str) -> tuple[list[int], list[int], bool, bool]:
    """Return the ids of the actors (up to NAMED_ACTORS + 1) and people whose names hold a
    term, whether the term is common in the exchanges' text, and whether those actors are
    many: more than NAMED_SET_ACTORS, or in more than NAMED_SET exchanges.

    Names are read in full for each term (no index serves '%term%'), so the answer is kept.
    """
    actors = Actor.objects.filter(
        Q(name__icontains=term)
        | Q(pk__in=ActorName.objects.filter(name__icontains=term).values("actor_id"))
    )
    ids = list(actors.order_by().values_list("id", flat=True)[: NAMED_ACTORS + 1])
    taken_part = Participation.objects.filter(actor_id__in=ids).order_by()
    many = len(ids) > NAMED_SET_ACTORS or taken_part[: NAMED_SET + 1].count() > NAMED_SET
    return (
        ids,
        list(Person.objects.filter(name__icontains=term).order_by().values_list("id", flat=True)),
        is_common(term),
        many,
    )


def _named(term: str, ids: list[int], many: bool) -> QuerySet[Any, Any] | Subquery | None:
    """Return the ids of the exchanges whose counterparts bear the name, a lookup of one
    participant of each exchange that bears it (null when none does), or None when no actor
    bears it.

    When the actors took part in more than NAMED_SET exchanges (many), each exchange has its
    participants looked up; otherwise their exchanges are read from the participations' actor
    index as one set (the actors read first, so that the database plans with their real
    number), which each row is then tested against or which is fetched by id. The lookup is a
    scalar subquery, not EXISTS, which PostgreSQL would turn into a hash of every
    participation of the actors, read in full before the first row.
    """
    if not ids:
        return None
    if not many:
        return Participation.objects.filter(actor_id__in=ids).values("exchange_id")
    own = Participation.objects.filter(exchange=OuterRef("pk")).order_by()
    if connection.vendor == "postgresql" and len(ids) <= NAMED_ACTORS:
        # One array, hashed once by PostgreSQL: testing the names joined the actor and its
        # other names to each participant (7-11 ms of a search for "Labour", 2,096 actors, at
        # a million exchanges; 4 ms this way). An IN list of as many ids cost more to plan.
        # "(actor_id + 0) = ANY(%s::bigint[])": bigint like the column, for the array is
        # hashed only when both sides hash alike (not against int4); "+ 0" keeps the planner
        # from weighing each id against the column's statistics (1.6 ms of planning, 0.3).
        bears = Func(
            F("actor_id"),
            Value(ids, output_field=Field()),
            template="(%(expressions)s::bigint[])",
            arg_joiner=" + 0) = ANY(",
            output_field=BooleanField(),
        )
        return Subquery(own.filter(bears).values("pk")[:1])
    if len(ids) > NAMED_LIST:
        named = Q(actor__name__icontains=term) | Q(actor__names__name__icontains=term)
        return Subquery(own.filter(named).values("pk")[:1])
    return Subquery(own.filter(actor_id__in=ids).values("pk")[:1])


def filtered_exchanges(request: HttpRequest) -> QuerySet[Exchange]:
    """Return the exchanges the user may see that match the request's search and filters."""
    actor = request.GET.get("actor", "")
    narrowed = actor.isdigit() or any(request.GET.get(spec.param) for spec in FACETS)
    q = request.GET.get("q", "")
    exchanges = search_exchanges(visible_exchanges(request.user), q, narrowed)
    if actor.isdigit():
        taken_part = Participation.objects.filter(actor_id=int(actor)).values("exchange_id")
        exchanges = exchanges.filter(pk__in=taken_part)
    return apply_facets(exchanges, request, FACETS)


def _page_end(request: HttpRequest) -> int:
    """Return how many rows the page asked for needs, the one read ahead included (past any
    sample when the page number is not a plain positive one)."""
    number = request.GET.get("page", "1")
    if not number.isdigit() or int(number) < 1:
        return sys.maxsize
    return int(number) * PER_PAGE + 1


@login_required
def exchange_list(request: HttpRequest) -> HttpResponseBase:
    """List exchanges with search, facets, sorting and pagination, or download them."""
    exchanges = filtered_exchanges(request)
    sort, ordering = sort_order(request, SORTS, "-date")
    fmt = wants_download(request)
    if fmt:
        rows = with_details(exchanges.order_by(*ordering))
        return download(fmt, "exchanges", EXCHANGE_COLUMNS, rows, exchange_row)
    # The pages are pages of ids; the rows of the one shown are written from their columns.
    ids: QuerySet[Any, int] | list[int] = exchanges.order_by(*ordering).values_list("pk", flat=True)
    if request.GET.get("count") == "all":
        facets, total = counted_facets(exchanges, request, FACETS)
        page = paginate(request, ids, count=total)
        sampled = False
    else:
        # Counted over the newest matches only: counting every one would read a large part
        # of the ledger for a common word. The page says so and offers the full count.
        newest_first = SORTS["-date"]
        facets, total, newest = sampled_facets(
            exchanges, request, FACETS, newest_first, FACET_SAMPLE
        )
        sampled = total is None
        if sort == "-date" and (total is not None or _page_end(request) < len(newest)):
            ids = newest  # the page lies within the rows read for the facets
        page = paginate(request, ids, count=total, at_least=FACET_SAMPLE)
    context = list_context(request, page, facets, sort, SORTS)
    context["rows"] = written_rows(list(page.object_list))
    if sampled:
        context["facet_sample"] = FACET_SAMPLE
        context["count_all_url"] = url_with(
            request, count="all", page=page.number if page.number > 1 else None
        )
    actor = request.GET.get("actor", "")
    if actor.isdigit():
        named = Actor.objects.filter(pk=int(actor)).values_list("name", flat=True).first()
        context["extra_filter"] = f"Counterpart: {named or actor}"
        context["extra_filter_clear"] = url_with(request, actor=None)
    return render(request, "liaison/exchange_list.html", context)


@login_required
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one exchange: who, when, where, how, with its evidence and history."""
    exchange = get_object_or_404(with_details(visible_exchanges(request.user)), pk=pk)
    participations = exchange.participations.select_related("actor__country")
    evidence = exchange.evidence.select_related("source").order_by("source_id", "start", "id")
    context = {
        "exchange": exchange,
        "participations": participations,
        "attendances": exchange.attendances.select_related("person", "org"),
        "evidence": evidence,
        "history": history("Exchange", exchange.pk),
        "can_edit": can_edit_exchange(request.user, exchange),
    }
    return render(request, "liaison/exchange_detail.html", context)
