"""The dashboard: the headline figures of the ledger, computed with a few aggregate queries."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from liaison.domain.enums import ReviewStatus
from liaison.ledger.models import Actor, Exchange, Participation
from liaison.ledger.queries import year_of
from liaison.web.access import shown_sql, visible_exchanges, visible_units
from liaison.web.kept import Kept, kept, kept_meanwhile, scope_of
from liaison.web.listing import choice_labels
from liaison.web.views.exchanges import list_rows
from liaison.web.views.maps import CountryCount, map_context

CHART_WIDTH = 720
CHART_HEIGHT = 220
CHART_BOTTOM = 24  # room for the year labels under the bars
CHART_TOP = 18  # room for the count above the tallest bar
YEAR_LABELS = 16  # at most this many years written under the chart, so that they never overlap
RECENT = 10  # the latest exchanges listed under the figures


@dataclass(frozen=True)
class Bar:
    """One bar of the exchanges-per-year chart, in SVG user units."""

    year: int
    count: int
    x: float
    y: float
    width: float
    height: float
    labelled: bool = True  # whether its year is written under it (not all fit on long spans)

    @property
    def centre(self) -> float:
        """Return the horizontal middle of the bar, where its labels go."""
        return self.x + self.width / 2


def year_bars(per_year: list[tuple[int, int]]) -> list[Bar]:
    """Lay out one bar per year (years without exchanges get an empty slot)."""
    if not per_year:
        return []
    counts = dict(per_year)
    years = list(range(min(counts), max(counts) + 1))
    highest = max(counts.values())
    slot = CHART_WIDTH / len(years)
    width = slot * 0.7
    usable = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    every = -(-len(years) // YEAR_LABELS)  # write every n-th year, the first one included
    bars = []
    for index, year in enumerate(years):
        count = counts.get(year, 0)
        height = usable * count / highest if highest else 0
        top = CHART_HEIGHT - CHART_BOTTOM - height
        x = index * slot + (slot - width) / 2
        bars.append(Bar(year, count, x, top, width, height, index % every == 0))
    return bars


def share_rows(
    rows: Iterable[dict[str, Any]], field: str, labels: dict[str, str]
) -> list[dict[str, Any]]:
    """Turn grouped counts into rows with a label and a percentage of the largest, for bars."""
    items = list(rows)
    top = max((row["n"] for row in items), default=0)
    return [
        {
            "value": row[field],
            "label": labels.get(row[field], row[field]),
            "n": row["n"],
            "percent": round(100 * row["n"] / top) if top else 0,
        }
        for row in items
    ]


def exchanges_per_actor(user: Any) -> dict[int, int]:
    """Count the exchanges of each counterpart that the dashboard counts for this user.

    Those are the exchanges the user may see, rejected ones left out. Counting them straight
    joins every participation to its exchange (1.7 million lookups at a million exchanges);
    instead every participation is counted from the (actor, exchange) index alone, and the
    participations of the exchanges left out (rejected, or hidden from the user: a tenth of the
    ledger) are counted and taken off. An exchange is either counted or left out, so the
    distinct counts subtract exactly.
    """
    participation, exchange = Participation._meta.db_table, Exchange._meta.db_table
    left_out, params = _left_out(user)
    # CROSS JOIN: SQLite takes the exchanges left out first (through the review status index
    # for a central viewer), then their participations; PostgreSQL plans it as a join.
    subtracted = (
        f"SELECT p.actor_id, COUNT(DISTINCT p.exchange_id) FROM {exchange} e"
        f" CROSS JOIN {participation} p WHERE p.exchange_id = e.id AND {left_out}"
        " GROUP BY p.actor_id"
    )
    # Every scope and year counts the same participations first: kept, counted once.
    counts = dict(kept("dashboard-participations", _every_participation))
    with connection.cursor() as cursor:
        cursor.execute(subtracted, params)
        for actor_id, n in cursor.fetchall():
            # get: an exchange recorded between the two counts is in this one only (the
            # figures are then kept for the older version, and computed again).
            counts[actor_id] = counts.get(actor_id, 0) - n
    return {actor_id: n for actor_id, n in counts.items() if n > 0}


def _left_out(user: Any) -> tuple[str, list[Any]]:
    """Return the SQL condition (on exchanges named `e`) of those the dashboard does not count."""
    left_out = "e.review_status = %s"
    params: list[Any] = [ReviewStatus.REJECTED.value]
    if visible_units(user) is not None:
        shown, shown_params = shown_sql(user)
        # COALESCE: an internal exchange of no unit is hidden (its condition is NULL).
        left_out = f"({left_out} OR NOT COALESCE(({shown}), FALSE))"
        params += shown_params
    return left_out, params


def exchanges_per_year(user: Any) -> list[tuple[int, int]]:
    """Count the exchanges of each year that the dashboard counts for this user, oldest first.

    As for the counterparts: every exchange counted from the date index (kept, the same for
    every scope), less the exchanges left out.
    """
    counts = dict(kept("dashboard-years", _every_year))
    left_out, params = _left_out(user)
    year = (
        "CAST(SUBSTR(e.date, 1, 4) AS integer)"  # as year_of: dates are text on SQLite
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(YEAR FROM e.date) AS integer)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {year}, COUNT(*) FROM {Exchange._meta.db_table} e WHERE {left_out} GROUP BY 1",
            params,
        )
        for found, n in cursor.fetchall():
            counts[found] = counts.get(found, 0) - n
    return sorted((found, n) for found, n in counts.items() if n > 0)


def _every_year() -> dict[int, int]:
    """Count the exchanges of each year in the whole ledger."""
    years = Exchange.objects.order_by().annotate(year=year_of("date")).values_list("year")
    return dict(years.annotate(n=Count("id")).values_list("year", "n"))


def _every_participation() -> dict[int, int]:
    """Count the exchanges of each actor in the whole ledger, from the (actor, exchange) index."""
    table = Participation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT actor_id, COUNT(DISTINCT exchange_id) FROM {table} GROUP BY actor_id"
        )
        return dict(cursor.fetchall())


def contact_figures(
    user: Any,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[CountryCount]]:
    """Return the headline figures, the most frequent counterparts and the map's counts.

    The exchanges per actor are counted in the database; counterparts in contact, countries
    reached, the share from developing countries and the counterparts per country then follow
    from the actors' countries, which are few.
    """
    per_actor = exchanges_per_actor(user)
    # Every actor in one read: most of them are counterparts, and lists of thousands of ids
    # cost PostgreSQL more (four batches of 5,000: ~170 ms, all 20,000 actors: ~30).
    rows = Actor.objects.values_list(
        "id", "name", "country_id", "country__name", "country__development_status", "country__iso2"
    )
    actors = {row[0]: row[1:] for row in rows if row[0] in per_actor}
    countries = {row[1] for row in actors.values() if row[1] is not None}
    with_country = sum(1 for row in actors.values() if row[1] is not None)
    developing = sum(1 for row in actors.values() if row[3] == "developing")
    figures = {
        "counterparts": len(per_actor),
        "countries": len(countries),
        "with_country": with_country,
        "developing": developing,
        "developing_share": round(100 * developing / with_country) if with_country else None,
    }
    ranked = sorted(per_actor.items(), key=lambda item: (-item[1], actors[item[0]][0]))
    top = [
        {
            "actor_id": actor_id,
            "actor__name": actors[actor_id][0],
            "actor__country__name": actors[actor_id][2],
            "n": n,
        }
        for actor_id, n in ranked[:8]
    ]
    return figures, top, _per_country(actors)


def _per_country(actors: dict[int, tuple[Any, ...]]) -> list[CountryCount]:
    """Count the counterparts of each country, for the map (which shows counterparts only)."""
    counted = Counter(row[1] for row in actors.values() if row[1] is not None)
    named = {row[1]: (row[4], row[2]) for row in actors.values() if row[1] is not None}
    return [
        CountryCount(country, named[country][0], named[country][1], n, None)
        for country, n in counted.items()
    ]


def ledger_figures(
    user: Any, visible: QuerySet[Exchange], counted: QuerySet[Exchange], asked: str
) -> Kept[dict[str, Any]]:
    """Return the figures that read the whole ledger, kept (per scope and year) until it changes.

    After a change they are computed again in the background; meanwhile the last ones are
    returned, marked as not current.
    """
    return kept_meanwhile(
        f"dashboard-page:{scope_of(user)}:{asked}",
        lambda: _rendered(_compute_figures(user, visible, counted, asked), visible),
    )


def _rendered(figures: dict[str, Any], visible: QuerySet[Exchange]) -> dict[str, Any]:
    """Add the parts of the page drawn from the figures and the latest exchanges, rendered once."""
    # The same for every reader of a scope until the ledger changes: kept with the figures.
    chart = {"width": CHART_WIDTH, "height": CHART_HEIGHT, "base": CHART_HEIGHT - CHART_BOTTOM}
    html = render_to_string("liaison/_dashboard_figures.html", {**figures, "chart": chart})
    # Our own templates' output, escaped as they render it.
    return {**figures, "figures_html": mark_safe(html), "recent_html": recent_html(visible)}


def recent_html(visible: QuerySet[Exchange]) -> SafeString:
    """Render the latest exchanges (ten rows through the date index: cheap at any size)."""
    recent = list_rows(visible.order_by("-date", "-id"))[:RECENT]
    return mark_safe(render_to_string("liaison/_exchange_rows.html", {"exchanges": recent}))


def _compute_figures(
    user: Any, visible: QuerySet[Exchange], counted: QuerySet[Exchange], asked: str
) -> dict[str, Any]:
    per_year = exchanges_per_year(user)
    years = [year for year, _ in per_year]
    today = datetime.datetime.now(tz=datetime.UTC)
    year = int(asked) if asked.isdigit() else today.year
    # With nothing recorded yet this year, the latest year with exchanges says more.
    if year not in years and years and not asked:
        year = years[-1]
    # One grouped pass over the year gives both breakdowns (and its total).
    pairs = list(
        counted.filter(date__year=year)
        .order_by()
        .values_list("type", "channel")
        .annotate(n=Count("id"))
    )
    by_type: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for kind, channel, n in pairs:
        by_type[kind] += n
        by_channel[channel] += n
    figures, top_counterparts, per_country = contact_figures(user)
    return {
        "figures": figures,
        "figures_at": today,
        "year": year,
        "current_year": today.year,
        "years": years,
        "year_total": by_type.total(),
        "by_type": share_rows(_ranked(by_type, "type"), "type", choice_labels(Exchange, "type")),
        "by_channel": share_rows(
            _ranked(by_channel, "channel"), "channel", choice_labels(Exchange, "channel")
        ),
        "bars": year_bars([(y, n) for y, n in per_year]),
        "proposed": visible.filter(review_status=ReviewStatus.PROPOSED).count(),
        "top_counterparts": top_counterparts,
        **map_context(counted, "counterparts", per_country),
    }


def _ranked(counts: Counter[str], field: str) -> list[dict[str, Any]]:
    """Return grouped counts as rows, the largest first (then by value, for a stable order)."""
    return [
        {field: value, "n": n} for value, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the headline figures, the exchanges per year, the latest exchanges and the queue."""
    visible = visible_exchanges(request.user)
    counted = visible.exclude(review_status=ReviewStatus.REJECTED)
    asked = request.GET.get("year", "")
    figures = ledger_figures(request.user, visible, counted, asked if asked.isdigit() else "")
    context = {**figures.value, "updating": not figures.current}
    if not figures.current:
        # Figures of an older ledger, being computed again: the latest exchanges, cheap to
        # read, are shown as they are now (an exchange just recorded among them), read once
        # per change of the ledger and scope.
        scope = scope_of(request.user)
        context["recent_html"] = kept(f"dashboard-recent:{scope}", lambda: recent_html(visible))
    return render(request, "liaison/dashboard.html", context)
