"""The dashboard: the headline figures of the ledger, computed with a few aggregate queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from liaison.domain.enums import ReviewStatus
from liaison.ledger.models import Actor, Exchange, Participation
from liaison.ledger.queries import year_of
from liaison.web.access import visible_exchanges
from liaison.web.kept import kept, scope_of
from liaison.web.listing import choice_labels
from liaison.web.views.exchanges import list_rows
from liaison.web.views.maps import map_context

CHART_WIDTH = 720
CHART_HEIGHT = 220
CHART_BOTTOM = 24  # room for the year labels under the bars
CHART_TOP = 18  # room for the count above the tallest bar
YEAR_LABELS = 16  # at most this many years written under the chart, so that they never overlap
ID_BATCH = 5000
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


def share_rows(rows: QuerySet[Any], field: str, labels: dict[str, str]) -> list[dict[str, Any]]:
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


def contact_figures(counted: QuerySet[Exchange]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the headline figures and the most frequent counterparts, from one grouped query.

    The exchanges per actor are counted in the database in one pass over the participations;
    counterparts in contact, countries reached and the share from developing countries then
    follow from the actors' countries, which are few.
    """
    per_actor = dict(
        Participation.objects.filter(exchange__in=counted)
        .values("actor_id")
        .annotate(n=Count("exchange_id", distinct=True))
        .values_list("actor_id", "n")
    )
    actors: dict[int, tuple[Any, ...]] = {}
    ids = list(per_actor)
    for start in range(0, len(ids), ID_BATCH):  # a bounded number of query parameters
        rows = Actor.objects.filter(pk__in=ids[start : start + ID_BATCH]).values_list(
            "id", "name", "country_id", "country__name", "country__development_status"
        )
        actors.update((row[0], row[1:]) for row in rows)
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
    return figures, top


def ledger_figures(
    user: Any, visible: QuerySet[Exchange], counted: QuerySet[Exchange], asked: str
) -> dict[str, Any]:
    """Return the figures that read the whole ledger, kept (per scope and year) until it changes."""
    return kept(
        f"dashboard-page:{scope_of(user)}:{asked}",
        lambda: _rendered(_compute_figures(visible, counted, asked), visible),
    )


def _rendered(figures: dict[str, Any], visible: QuerySet[Exchange]) -> dict[str, Any]:
    """Add the parts of the page drawn from the figures and the latest exchanges, rendered once."""
    # The same for every reader of a scope until the ledger changes: kept with the figures.
    chart = {"width": CHART_WIDTH, "height": CHART_HEIGHT, "base": CHART_HEIGHT - CHART_BOTTOM}
    html = render_to_string("liaison/_dashboard_figures.html", {**figures, "chart": chart})
    recent = list_rows(visible.order_by("-date", "-id"))[:RECENT]
    rows = render_to_string("liaison/_exchange_rows.html", {"exchanges": recent})
    # Our own templates' output, escaped as they render it.
    return {**figures, "figures_html": mark_safe(html), "recent_html": mark_safe(rows)}


def _compute_figures(
    visible: QuerySet[Exchange], counted: QuerySet[Exchange], asked: str
) -> dict[str, Any]:
    per_year = list(
        counted.order_by()
        .annotate(year=year_of("date"))
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by("year")
    )
    years = [year for year, _ in per_year]
    today = datetime.datetime.now(tz=datetime.UTC)
    year = int(asked) if asked.isdigit() else today.year
    # With nothing recorded yet this year, the latest year with exchanges says more.
    if year not in years and years and not asked:
        year = years[-1]
    in_year = counted.filter(date__year=year).order_by()
    figures, top_counterparts = contact_figures(counted)
    return {
        "figures": figures,
        "figures_at": today,
        "year": year,
        "current_year": today.year,
        "years": years,
        "year_total": in_year.count(),
        "by_type": share_rows(
            in_year.values("type").annotate(n=Count("id")).order_by("-n"),
            "type",
            choice_labels(Exchange, "type"),
        ),
        "by_channel": share_rows(
            in_year.values("channel").annotate(n=Count("id")).order_by("-n"),
            "channel",
            choice_labels(Exchange, "channel"),
        ),
        "bars": year_bars([(y, n) for y, n in per_year]),
        "proposed": visible.filter(review_status=ReviewStatus.PROPOSED).count(),
        "top_counterparts": top_counterparts,
        **map_context(counted, "counterparts"),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the headline figures, the exchanges per year, the latest exchanges and the queue."""
    visible = visible_exchanges(request.user)
    counted = visible.exclude(review_status=ReviewStatus.REJECTED)
    asked = request.GET.get("year", "")
    context = ledger_figures(request.user, visible, counted, asked if asked.isdigit() else "")
    return render(request, "liaison/dashboard.html", context)
