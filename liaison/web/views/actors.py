"""Counterparts: the faceted list (with downloads) and the page of one counterpart."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.db import connection
from django.db.models import Count, Exists, ForeignObjectRel, Max, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.dates import MONTHS_3
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from liaison.ledger.export import ACTOR_COLUMNS, actor_row
from liaison.ledger.models import (
    Actor,
    ActorMerge,
    ActorName,
    AuditEntry,
    Country,
    Evidence,
    Exchange,
    Participation,
    Source,
)
from liaison.web.access import shown_sql, visible_exchanges, visible_units
from liaison.web.kept import kept, scope_of
from liaison.web.listing import (
    FacetSpec,
    OpenPaginator,
    apply_facets,
    choice_labels,
    download,
    facet_counts,
    list_context,
    page_links,
    paginate,
    search_terms,
    sort_order,
    wants_download,
)
from liaison.web.templatetags.liaison import page_of
from liaison.web.views.audit import history
from liaison.web.views.exchanges import list_rows, written_rows

FACETS = (
    FacetSpec("kind", "Kind", "kind", labels=choice_labels(Actor, "kind")),
    FacetSpec("country", "Country", "country_id", "country__name"),
    FacetSpec("region", "Region", "country__region"),
    FacetSpec("family", "Family", "family"),
    FacetSpec(
        "review_status", "Review", "review_status", labels=choice_labels(Actor, "review_status")
    ),
)
SORTS = {"name": ("name", "id"), "-name": ("-name", "-id"), "kind": ("kind", "name")}
TIMELINE_PER_PAGE = 25
NEIGHBOURS = 30
SOURCES = 20
# The first page of an actor in more than 1 exchange in 100 is read by walking the dates, at
# most WALK exchanges: for an actor in 13,000 of a million, 2,400 of them and 15 ms on
# PostgreSQL (43 read by the actor's index and sorted). An actor whose exchanges are mostly
# older (at 1 in 200, one walk read 130,000 exchanges) fills no page within WALK: it is then
# read by its index and sorted, its later pages too.
DENSE_SHARE = 100
WALK = 5000


def search_actors(actors: QuerySet[Actor], q: str) -> QuerySet[Actor]:
    """Keep the actors whose name, alias or abbreviation contains every term."""
    for term in search_terms(q):
        aliases = ActorName.objects.filter(actor=OuterRef("pk"), name__icontains=term)
        actors = actors.filter(Q(name__icontains=term) | Exists(aliases))
    return actors


def contact_figures(user: Any, actor_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Return, per actor, how many visible exchanges it took part in and the last one's date."""
    rows = (
        Participation.objects.filter(actor_id__in=actor_ids, exchange__in=visible_exchanges(user))
        .values("actor_id")
        .annotate(exchanges=Count("exchange_id", distinct=True), last=Max("exchange__date"))
    )
    return {row["actor_id"]: row for row in rows}


@login_required
def actor_list(request: HttpRequest) -> HttpResponseBase:
    """List counterparts with search over names and aliases, facets and downloads."""
    actors = search_actors(Actor.objects.filter(merged_into=None), request.GET.get("q", ""))
    actors = apply_facets(actors, request, FACETS)
    sort, ordering = sort_order(request, SORTS, "name")
    fmt = wants_download(request)
    if fmt:
        rows = actors.order_by(*ordering).select_related("country", "parent")
        rows = rows.prefetch_related("names", "external_ids")
        return download(fmt, "counterparts", ACTOR_COLUMNS, rows, actor_row)
    facets = facet_counts(actors, request, FACETS)
    page = paginate(request, actors.order_by(*ordering).select_related("country"))
    figures = contact_figures(request.user, [a.pk for a in page.object_list])
    rows_with_figures = [(actor, figures.get(actor.pk, {})) for actor in page.object_list]
    context = {
        "rows": rows_with_figures,
        **list_context(request, page, facets, sort, SORTS),
    }
    return render(request, "liaison/actor_list.html", context)


def taken_part(actor: Actor) -> QuerySet[Participation, Any]:
    """Return the ids of the exchanges an actor took part in, read from the index by actor."""
    return Participation.objects.filter(actor=actor).values("exchange_id")


# The kept parts of a counterpart's page are read in plain SQL from the actor's own
# participations: built through the ORM, these queries cost more than running them, and the
# first visit to any counterpart's page (almost never kept) pays for all of them.
ACTOR_EXCHANGES = (
    f"{Exchange._meta.db_table} e{{cover}} WHERE e.id IN (SELECT exchange_id"
    f" FROM {Participation._meta.db_table} WHERE actor_id = %s) AND {{shown}}"
)
# The neighbours and the sources are read over the RECENT exchanges recorded last (the highest
# ids, straight from the index by actor): for most actors that is every exchange, and an actor
# in 54,000 costs no more than one in 500 (reading them all cost 0.3-0.9 s).
RECENT = 500
# A reader who may not see every exchange gets the exact count of an actor in up to COUNTED
# exchanges (at a million exchanges, 17 ms on SQLite and 37 on PostgreSQL for 10,000 of them;
# 70 and 500 ms for the busiest actor's 54,000), and a floor beyond.
COUNTED = 10_000
RECENT_EXCHANGES = (
    f"{Exchange._meta.db_table} e WHERE e.id IN (SELECT DISTINCT exchange_id"
    f" FROM {Participation._meta.db_table} WHERE actor_id = %s"
    " ORDER BY exchange_id DESC LIMIT %s) AND {shown}"
)
# How many exchanges the actor took part in at all (hidden ones too: read from the index by
# actor alone, 2 ms for 54,000), how many of the COUNTED last the reader sees, and the id of the
# exchange recorded last (no fewer exchanges exist): one query, each costs a round trip.
TOTALS_SQL = (
    f"SELECT (SELECT COUNT(DISTINCT exchange_id) FROM {Participation._meta.db_table}"
    f" WHERE actor_id = %s), COUNT(*), (SELECT MAX(id) FROM {Exchange._meta.db_table})"
    f" FROM {RECENT_EXCHANGES}"
)
# Read by the actor's index, then sorted: MATERIALIZED keeps PostgreSQL from walking the date
# index instead (at a million exchanges, 0.5 s for an actor in 1,441 of them; 15 ms this way).
FIRST_PAGE_SQL = (
    f"WITH mine AS MATERIALIZED (SELECT e.id, e.date FROM {ACTOR_EXCHANGES})"
    " SELECT id, date FROM mine ORDER BY date DESC, id DESC LIMIT %s"
)
# The first page of a dense actor: the newest exchanges the reader sees, at most WALK of them,
# those the actor took part in.
WALK_SQL = (
    f"SELECT id, date FROM (SELECT e.id, e.date FROM {Exchange._meta.db_table} e"
    " WHERE {shown} ORDER BY e.date DESC, e.id DESC LIMIT %s) w WHERE EXISTS (SELECT 1"
    f" FROM {Participation._meta.db_table} p WHERE p.exchange_id = w.id AND p.actor_id = %s)"
    " ORDER BY date DESC, id DESC LIMIT %s"
)
SOURCES_SQL = (
    f"WITH mine AS MATERIALIZED (SELECT e.id FROM {RECENT_EXCHANGES})"
    # What the page shows of a source (read as models in the same query).
    " SELECT s.id, s.url, s.title, s.outlet, s.published"
    f" FROM {Source._meta.db_table} s WHERE s.id IN (SELECT ev.source_id"
    f" FROM {Evidence._meta.db_table} ev WHERE ev.exchange_id IN (SELECT id FROM mine))"
    " ORDER BY s.published DESC, s.id DESC LIMIT %s"
)
NEIGHBOURS_SQL = (
    # The last column counts the groups before the LIMIT: all the neighbours there are.
    "SELECT p.actor_id, a.name, c.name, COUNT(DISTINCT p.exchange_id), MAX(e.date),"
    " COUNT(*) OVER ()"
    f" FROM {Participation._meta.db_table} p"
    f" JOIN {Actor._meta.db_table} a ON a.id = p.actor_id"
    f" LEFT JOIN {Country._meta.db_table} c"
    f" ON c.{Country._meta.pk.column} = a.{Actor._meta.get_field('country').column},"
    f" {RECENT_EXCHANGES} AND p.exchange_id = e.id AND p.actor_id <> %s"
    # The actor's id last among equals: the same order on every database.
    " GROUP BY p.actor_id, a.name, c.name ORDER BY 4 DESC, a.name, p.actor_id LIMIT %s"
)


def _read(sql: str, user: Any, head: list[Any], *params: Any) -> list[tuple[Any, ...]]:
    """Run one of the queries over an actor's visible exchanges (`head`: the parameters that
    come before the reader's condition); its rows."""
    shown, shown_params = shown_sql(user)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(shown=shown, cover=_cover()), [*head, *shown_params, *params])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _cover() -> str:
    """Return what makes SQLite read an actor's exchanges from the index that holds their dates
    (migration 0009): it prefers the rows themselves, at twice the cost."""
    return " INDEXED BY ledger_exchange_id_cover" if connection.vendor == "sqlite" else ""


def _recent(actor: Actor) -> list[Any]:
    """Return the parameters that pick an actor's recent exchanges."""
    return [actor.pk, RECENT]


def _day(value: Any) -> datetime.date | None:
    """Return a date read by plain SQL (SQLite gives an aggregate's date as text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def neighbours(user: Any, actor: Actor) -> tuple[list[dict[str, Any]], int]:
    """Return the NEIGHBOURS actors sharing most visible exchanges with one actor (among its
    RECENT exchanges recorded last), how many they share, and how many such actors there are."""
    rows = _read(NEIGHBOURS_SQL, user, _recent(actor), actor.pk, NEIGHBOURS)
    found = [
        {
            "actor_id": actor_id,
            "actor__name": name,
            "actor__country__name": country,
            "shared": shared,
            "last": _day(last),
        }
        for actor_id, name, country, shared, last, _ in rows
    ]
    return found, rows[0][-1] if rows else 0


def contact_summary(user: Any, actor: Actor) -> dict[str, Any]:
    """Return how many visible exchanges an actor took part in, its neighbours and sources.

    The count is exact when the actor is in COUNTED exchanges or fewer, or when the reader sees
    every exchange; otherwise it is None and `seen` (the last COUNTED the reader sees) a floor.
    Neighbours and sources are those of the recent exchanges (`partial` when not all of them).
    """
    everything = visible_units(user) is None
    # A reader who sees every exchange is given the count from the index: nothing to count.
    counted = RECENT if everything else COUNTED
    ((taken, seen, newest),) = _read(TOTALS_SQL, user, [actor.pk, actor.pk, counted])
    partial = taken > RECENT
    count = taken if everything else (None if taken > COUNTED else seen)
    met, met_count = neighbours(user, actor)
    # The newest sources first, as the ORM's order_by("-published", "-id") sorts them (where
    # a source has no date, each database puts it where its DESC does).
    shown, shown_params = shown_sql(user)
    sources = Source.objects.raw(
        SOURCES_SQL.format(shown=shown), [*_recent(actor), *shown_params, SOURCES]
    )
    return {
        "count": count,
        "seen": seen,
        "taken": taken,
        "newest": newest or 0,
        "partial": partial,
        "neighbours": met,
        "met_count": met_count,
        "sources": list(sources),
    }


def timeline(user: Any, actor: Actor, dense: bool) -> QuerySet[Exchange]:
    """Return an actor's visible exchanges, newest first, read the cheaper way for its share.

    When the actor is in many exchanges (dense), walking the date index until a page is full
    is cheap; when in few, reading them by the actor's index and sorting them is.
    """
    if dense:
        took_part = Participation.objects.filter(exchange=OuterRef("pk"), actor=actor)
        rows = visible_exchanges(user).filter(Exists(took_part))
    else:
        rows = visible_exchanges(user).filter(pk__in=taken_part(actor))
    return rows.order_by("-date", "-id")


def timeline_rows(user: Any, actor: Actor, dense: bool) -> QuerySet[Exchange]:
    """Return an actor's visible exchanges, newest first, with what a list shows of them."""
    return list_rows(timeline(user, actor, dense))


def first_page(
    user: Any, actor: Actor, taken: int, newest: int
) -> tuple[list[tuple[int, datetime.date | None]], bool]:
    """Return the ids and dates of the first page of the timeline of an actor in `taken`
    exchanges (of at most `newest`), in its order, and of the row after it when there is one;
    and whether walking the dates found them (`dense`: its later pages are read that way too)."""
    wanted = TIMELINE_PER_PAGE + 1
    if taken * DENSE_SHARE >= newest:
        rows = _read(WALK_SQL, user, [], WALK, actor.pk, wanted)
        # A short answer is the whole timeline only when the walk read every exchange.
        if len(rows) == wanted or newest <= WALK:
            return [(pk, _day(day)) for pk, day in rows], True
    rows = _read(FIRST_PAGE_SQL, user, [actor.pk], wanted)
    return [(pk, _day(day)) for pk, day in rows], False


RECORD_PARTS = ("names", "external_ids", "children", "statuses", "positions", "absorbed")


def _exists(table: str, where: str) -> str:
    """Return an SQL test of whether a table has a row that meets a condition."""
    return f"EXISTS (SELECT 1 FROM {table} WHERE {where})"


def _part_exists(name: str) -> str:
    """Return an SQL test of whether an actor (the parameter) has rows in one reverse relation."""
    relation = Actor._meta.get_field(name)
    assert isinstance(relation, ForeignObjectRel) and isinstance(relation.related_model, type)
    return _exists(relation.related_model._meta.db_table, f"{relation.field.column} = %s")


# Which parts of the record an actor has at all, in one query: most actors have few of them,
# and each part read through the ORM costs more than this whole test.
HELD_SQL = "SELECT " + ", ".join(
    [
        *(_part_exists(name) for name in RECORD_PARTS),
        _exists(ActorMerge._meta.db_table, "keep_id = %s OR absorbed_id = %s"),
        _exists(AuditEntry._meta.db_table, "object_type = %s AND object_id = %s"),
    ]
)


def _held(actor: Actor) -> dict[str, bool]:
    """Tell, per part of the record (and merges, history), whether the actor may have any."""
    params = [actor.pk] * (len(RECORD_PARTS) + 2) + ["Actor", str(actor.pk)]
    with connection.cursor() as cursor:
        cursor.execute(HELD_SQL, params)
        row = cursor.fetchone()
    return dict(zip([*RECORD_PARTS, "merges", "history"], map(bool, row), strict=True))


def _record(actor: Actor) -> dict[str, Any]:
    """Return what the page shows of the counterpart itself: names, structure, merges, history.

    Only the parts the actor has rows for are read (children merged away are filtered then).
    """
    held = _held(actor)
    parts: dict[str, Callable[[], list[Any]]] = {
        "names": lambda: list(actor.names.all()),
        "external_ids": lambda: list(actor.external_ids.all()),
        "children": lambda: list(actor.children.filter(merged_into=None).select_related("country")),
        "statuses": lambda: list(actor.statuses.all()),
        "positions": lambda: list(
            actor.positions.select_related("person").order_by("-start", "id")
        ),
        "absorbed": lambda: list(actor.absorbed.all()),
        "merges": lambda: list(
            ActorMerge.objects.filter(Q(keep=actor) | Q(absorbed=actor))
            .select_related("keep", "absorbed", "user")
            .order_by("-at", "-id")
        ),
        "history": lambda: list(history("Actor", actor.pk)),
    }
    return {name: read() if held[name] else [] for name, read in parts.items()}


def _day_text(day: datetime.date | None) -> str:
    """Write a date as the template filter date:"j M Y" does (at a fraction of its cost)."""
    if day is None:
        return ""
    return f"{day.day} {str(MONTHS_3[day.month]).title()} {day.year:04d}"


def contact_rows(neighbours: list[dict[str, Any]], sources: list[Source]) -> dict[str, SafeString]:
    """Write the rows of the "Met with" table and the items of the sources' list.

    Written here rather than in _actor_contacts.html: the template's loops (their dates above
    all) cost more than every query of a counterpart's first visit but one.
    """
    rows = [
        f'<tr><td><a href="{escape(page_of(n["actor_id"], "actor_detail"))}">'
        f"{escape(n['actor__name'])}</a></td><td>{escape(n['actor__country__name'] or '')}</td>"
        f'<td class="num">{escape(localize(n["shared"]))}</td>'
        f'<td class="col-date">{_day_text(n["last"])}</td></tr>'
        for n in neighbours
    ]
    items = []
    for source in sources:
        when = _day_text(source.published)
        dated = f"{', ' if source.outlet else ''}{when}" if when else ""
        items.append(
            f'<li><a href="{escape(page_of(source.pk, "source_detail"))}">{escape(source)}</a>'
            f' <span class="muted small">{escape(source.outlet)}{dated}</span></li>'
        )
    # Escaped above, as the template escaped them.
    return {
        "neighbour_rows": mark_safe("".join(rows)),
        "source_items": mark_safe("".join(items)),
    }


def _kept_page(user: Any, actor: Actor) -> dict[str, Any]:
    """Return the figures of the page and the parts drawn from them alone, rendered once.

    The first page of the timeline is among them: the same for every reader of a scope until
    the ledger changes, and the page most visits ask for. Only what the page itself reads is
    kept (the rest is in the rendered parts): less to write to the cache and read back.
    """
    summary = contact_summary(user, actor)
    context = {
        **summary,
        **_record(actor),
        **contact_rows(summary["neighbours"], summary["sources"]),
        "actor": actor,
        "recent": RECENT,
    }
    first, dense = first_page(user, actor, summary["taken"], summary["newest"])
    count = summary["count"]
    if count is None and len(first) <= TIMELINE_PER_PAGE:
        count = len(first)  # no row after the first page: these are all it has
    # Otherwise the timeline has at least the rows counted and those its first page read.
    seen = max(summary["seen"], len(first))
    # Our own templates' output, escaped as they render it.
    return {
        "count": count,
        "seen": seen,
        "partial": summary["partial"],
        "last": first[0][1] if first else None,
        "neighbours": summary["neighbours"],
        "met_count": summary["met_count"],
        "recent": RECENT,
        "merges": context["merges"],
        "dense": dense,
        "record_html": mark_safe(render_to_string("liaison/_actor_record.html", context)),
        "contacts_html": mark_safe(render_to_string("liaison/_actor_contacts.html", context)),
        "history_html": mark_safe(render_to_string("liaison/_history.html", context)),
        "first_page_html": mark_safe(
            render_to_string(
                "liaison/_exchange_rows.html",
                {"written": written_rows([pk for pk, _ in first[:TIMELINE_PER_PAGE]])},
            )
        ),
    }


def _timeline_page(
    request: HttpRequest, rows: QuerySet[Exchange], figures: dict[str, Any]
) -> Page[Exchange]:
    """Return the requested page of the timeline: counted when its count is known, otherwise
    open-ended from the rows known to exist (the first page, kept, is not read again)."""
    if figures["count"] is not None:
        return paginate(request, rows, TIMELINE_PER_PAGE, count=figures["count"])
    pages = OpenPaginator(rows, TIMELINE_PER_PAGE, figures["seen"] - 1)
    if request.GET.get("page", "1") == "1":
        return Page(rows[:TIMELINE_PER_PAGE], 1, pages)
    return pages.get_page(request.GET.get("page"))


@login_required
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a counterpart: names, identifiers, structure, positions, exchanges and neighbours."""
    actor = get_object_or_404(
        Actor.objects.select_related("country", "parent", "merged_into"), pk=pk
    )
    # Everything but later pages of the timeline is kept until the ledger changes (every change,
    # merges and names included, is audited): a visit to the first page reads nothing more.
    figures = kept(
        f"actor-page:{actor.pk}:{scope_of(request.user)}", lambda: _kept_page(request.user, actor)
    )
    rows = timeline_rows(request.user, actor, figures["dense"])
    timeline = _timeline_page(request, rows, figures)
    context = {
        **figures,
        "actor": actor,
        "timeline": timeline,
        # The kept rows are those of the first page; any other page is read now (lazily: the
        # template reads timeline.object_list only when it has no rows_html).
        "rows_html": figures["first_page_html"] if timeline.number == 1 else "",
        "exchange_count": figures["count"],
        "last_contact": figures["last"],
        **page_links(request, timeline),
    }
    return render(request, "liaison/actor_detail.html", context)
