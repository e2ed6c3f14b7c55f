"""The timeline: exchanges per month or per year, stacked by type, drawn on the server as SVG."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Func, IntegerField, Max, Min, QuerySet
from django.db.models.functions import Cast, ExtractMonth, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from liaison.domain.enums import ExchangeType
from liaison.ledger.models import Exchange
from liaison.ledger.queries import year_of
from liaison.web.explore import (
    Filters,
    filter_form,
    filtered_exchanges,
    kept_for,
    read_filters,
)
from liaison.web.listing import choice_labels

WIDTH = 1000
HEIGHT = 320
LEFT = 44  # room for the counts on the left
BOTTOM = 26  # room for the period labels
TOP = 10
MONTHLY_UP_TO = 4  # years: a shorter span is shown by month unless asked otherwise
TYPE_COLOURS = {
    ExchangeType.MEETING: "#2f6db3",
    ExchangeType.VISIT: "#27865f",
    ExchangeType.CONFERENCE: "#b7791f",
    ExchangeType.BRIEFING: "#7b4bb3",
    ExchangeType.CORRESPONDENCE: "#1f8a99",
    ExchangeType.AGREEMENT: "#c0392b",
    ExchangeType.ASSISTANCE: "#b3477a",
    ExchangeType.CALL: "#5d6d3a",
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Period:
    """A year, or a month of a year."""

    year: int
    month: int | None

    @property
    def label(self) -> str:
        """Return how the period is written: '2024' or 'May 2024'."""
        return str(self.year) if self.month is None else f"{MONTHS[self.month - 1]} {self.year}"

    def following(self) -> Period:
        """Return the next period of the same length."""
        if self.month is None:
            return Period(self.year + 1, None)
        return Period(self.year + (self.month == 12), self.month % 12 + 1)


@dataclass(frozen=True)
class Segment:
    """The part of a bar for one type of exchange."""

    type: str
    label: str
    count: int
    y: float
    height: float
    colour: str


@dataclass(frozen=True)
class Column:
    """The stacked bar of one period."""

    period: Period
    total: int
    x: float
    width: float
    segments: list[Segment]
    tick: str  # the label written under it, empty for most months
    tick_x: float


@dataclass(frozen=True)
class Chart:
    """The laid-out timeline, with its count axis and legend."""

    columns: list[Column]
    ticks: list[tuple[int, float]]  # (count, y) for the horizontal grid lines
    legend: list[tuple[str, str]]
    by: str
    anchor: str = "middle"  # years are written under their bar, months from January on


def month_of(field: str) -> Func:
    """Return the month of a date column; on SQLite cut from its 'YYYY-MM-DD' text (fast)."""
    if connection.vendor == "sqlite":
        return Cast(Substr(field, 6, 2), IntegerField())
    return ExtractMonth(field)


def counts_per_period(exchanges: QuerySet[Exchange], by: str) -> dict[Period, dict[str, int]]:
    """Count exchanges per period and type (one grouped query)."""
    columns: dict[str, Any] = {"y": year_of("date")}
    if by == "month":
        columns["m"] = month_of("date")
    rows = exchanges.order_by().annotate(**columns).values(*columns, "type").annotate(n=Count("id"))
    counts: dict[Period, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[Period(row["y"], row.get("m"))][row["type"]] = row["n"]
    return counts


def choose_granularity(asked: str, years: list[int]) -> str:
    """Return 'month' or 'year': what was asked, else months for a short span."""
    if asked in ("month", "year"):
        return asked
    if years and max(years) - min(years) < MONTHLY_UP_TO:
        return "month"
    return "year"


def nice_step(highest: int) -> int:
    """Return a round step for about four grid lines up to the highest count."""
    raw = max(1.0, highest / 4)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def lay_out(counts: dict[Period, dict[str, int]], by: str) -> Chart:
    """Lay out one stacked bar per period from the first to the last (empty ones included)."""
    labels = choice_labels(Exchange, "type")
    if not counts:
        return Chart([], [], [], by)
    periods = [min(counts, key=lambda p: (p.year, p.month or 0))]
    last = max(counts, key=lambda p: (p.year, p.month or 0))
    while periods[-1] != last:
        periods.append(periods[-1].following())
    totals = {p: sum(counts.get(p, {}).values()) for p in periods}
    step = nice_step(max(totals.values()))
    top = step * math.ceil(max(totals.values()) / step)
    usable = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / len(periods)
    years = sorted({p.year for p in periods})
    every = max(1, math.ceil(len(years) / 16))  # at most about 16 labels under the axis
    order = [t.value for t in ExchangeType]
    columns = []
    for index, period in enumerate(periods):
        base = float(HEIGHT - BOTTOM)
        segments = []
        for kind in sorted(
            counts.get(period, {}), key=lambda t: order.index(t) if t in order else 99
        ):
            n = counts[period][kind]
            height = usable * n / top
            base -= height
            colour = TYPE_COLOURS.get(ExchangeType(kind), "#8a8f98") if kind in order else "#8a8f98"
            segments.append(
                Segment(kind, labels.get(kind, kind), n, round(base, 1), round(height, 1), colour)
            )
        # Years are named at their first bar; a first partial year at its first month, when
        # there is room before the next January.
        partial = index == 0 and period.month not in (None, 1)
        first_of_year = period.month in (None, 1) or (partial and (period.month or 0) <= 8)
        labelled = first_of_year and (period.year - years[0]) % every == 0
        tick = period.label if partial else str(period.year)
        x, width = LEFT + index * slot + slot * 0.1, max(slot * 0.8, 0.5)
        columns.append(
            Column(
                period,
                totals[period],
                round(x, 1),
                round(width, 1),
                segments,
                tick if labelled else "",
                round(x + width / 2 if by == "year" else x, 1),
            )
        )
    ticks = [
        (value, round(HEIGHT - BOTTOM - usable * value / top, 1))
        for value in range(0, top + 1, step)
    ]
    present = {kind for per in counts.values() for kind in per}
    legend = [
        (labels.get(kind, kind), TYPE_COLOURS[ExchangeType(kind)])
        for kind in order
        if kind in present
    ]
    return Chart(columns, ticks, legend, by, "middle" if by == "year" else "start")


def bars_svg(chart: Chart, label_y: int) -> SafeString:
    """Write the stacked bars as SVG (built here: a template is slow for hundreds of months)."""
    listing = reverse("exchange_list")
    parts = []
    for column in chart.columns:
        parts.append('<g class="period">')
        for seg in column.segments:
            title = (
                f"{column.period.label} · {capfirst(seg.label)}: {seg.count} (of {column.total})"
            )
            parts.append(
                f'<a href="{listing}?year={column.period.year}&amp;type={quote(seg.type)}">'
                f"<title>{escape(title)}</title>"
                f'<rect x="{column.x}" y="{seg.y}" width="{column.width}" height="{seg.height}" '
                f'fill="{seg.colour}"></rect></a>'
            )
        if column.tick:
            parts.append(
                f'<text class="tick" x="{column.tick_x}" y="{label_y}" '
                f'text-anchor="{chart.anchor}">{escape(column.tick)}</text>'
            )
        parts.append("</g>")
    return mark_safe("".join(parts))  # labels escaped above


def chart_for(request: HttpRequest, filters: Filters, asked: str) -> Chart:
    """Count and lay out the exchanges over time, by month or year as asked or as fits."""
    exchanges = filtered_exchanges(request, filters)
    span = exchanges.aggregate(first=Min("date"), last=Max("date"))
    years = [span[end].year for end in ("first", "last") if span[end] is not None]
    by = choose_granularity(asked, years)
    return lay_out(counts_per_period(exchanges, by), by)


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    """Show the exchanges over time for the chosen filters, by month or by year."""
    filters = read_filters(request)
    asked = request.GET.get("by", "")
    chart = kept_for(
        request, "timeline", filters, lambda: chart_for(request, filters, asked), asked
    )
    keep = [("by", asked)] if asked in ("month", "year") else []
    context = {
        **filter_form(filters),
        "chart": chart,
        "bars_svg": bars_svg(chart, HEIGHT - 8),
        "total": sum(column.total for column in chart.columns),
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "base": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 8,
        "keep": keep,
        "this_year": datetime.datetime.now(tz=datetime.UTC).year,
    }
    return render(request, "liaison/timeline.html", context)
