"""The network page: counterparts linked by shared exchanges, drawn as SVG, or sent as GraphML."""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass
from html import escape

import networkx as nx
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from liaison.ledger.models import Actor, Exchange, Participation
from liaison.web.explore import filter_form, filtered_exchanges, kept_for, read_filters

MAX_DRAWN = 150  # more nodes than this make an unreadable drawing; GraphML carries them all
MAX_TIES = 1500  # the strongest ties among them; past this the drawing is a grey mass
LABELLED = 20  # names written next to the most connected nodes; the rest show them on hover
WIDTH = 1000
HEIGHT = 680
MARGIN_X = 110  # room for the names written under the nodes at the sides
MARGIN_Y = 30
SEED = 42  # the same filters give the same drawing
PALETTE = (
    "#2f6db3",
    "#c0392b",
    "#27865f",
    "#b7791f",
    "#7b4bb3",
    "#1f8a99",
    "#b3477a",
    "#5d6d3a",
)
NO_REGION = "No country"
OTHER_COLOUR = "#8a8f98"


def shared_exchanges(exchanges: QuerySet[Exchange]) -> list[tuple[int, int, int]]:
    """Count, for each pair of counterparts, the exchanges both took part in (one grouped query)."""
    rows = (
        Participation.objects.filter(exchange__in=exchanges)
        .filter(exchange__participations__actor_id__gt=F("actor_id"))
        .values_list("actor_id", "exchange__participations__actor_id")
        .annotate(weight=Count("exchange_id", distinct=True))
        .order_by()
    )
    return [(a, b, weight) for a, b, weight in rows]


def build_network(exchanges: QuerySet[Exchange], most: int | None = None) -> nx.Graph:
    """Build the graph: a node per counterpart, an edge per pair weighted by shared exchanges.

    With `most`, only that many of the most connected counterparts are kept, with the ties
    among them: the page never holds the whole network of a large ledger in memory. Each node
    still carries its partners and shared exchanges over the whole network, and the graph its
    whole size (graph.graph["nodes"], graph.graph["edges"]).
    """
    pairs = shared_exchanges(exchanges)
    strength: Counter[int] = Counter()
    partners: Counter[int] = Counter()
    for a, b, weight in pairs:
        strength[a] += weight
        strength[b] += weight
        partners[a] += 1
        partners[b] += 1
    kept = set(strength)
    if most is not None and len(kept) > most:
        kept = set(sorted(strength, key=lambda n: (-strength[n], n))[:most])
    graph = nx.Graph()
    if most is not None:  # the page says how big the whole network is
        graph.graph.update(nodes=len(strength), edges=len(pairs))
    graph.add_nodes_from(kept)
    graph.add_weighted_edges_from((a, b, w) for a, b, w in pairs if a in kept and b in kept)
    facts = Actor.objects.filter(pk__in=list(kept)).values_list(
        "id", "name", "kind", "country_id", "country__name", "country__region"
    )
    for pk, name, kind, iso3, country, region in facts:
        graph.nodes[pk].update(
            label=name,
            kind=kind,
            iso3=iso3 or "",
            country=country or "",
            region=region or NO_REGION,
            exchanges=strength[pk],
            partners=partners[pk],
        )
    return graph


def graphml(graph: nx.Graph) -> bytes:
    """Write the graph as GraphML, the format Gephi opens."""
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, named_key_ids=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class Node:
    """A counterpart as drawn: where, how big, which colour, and whether its name is written."""

    id: int
    label: str
    country: str
    region: str
    partners: int
    exchanges: int
    x: float
    y: float
    r: float
    colour: str
    labelled: bool


@dataclass(frozen=True)
class Edge:
    """A tie as drawn, from one node to another, as thick as it is strong."""

    a: int
    b: int
    weight: int
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True)
class Drawing:
    """The network laid out for SVG, with its colour legend."""

    nodes: list[Node]
    edges: list[Edge]
    legend: list[tuple[str, str]]
    total_nodes: int
    total_edges: int


def region_colours(regions: list[str]) -> dict[str, str]:
    """Give each region a colour, the most frequent first; the rest share a grey."""
    counts: dict[str, int] = {}
    for region in regions:
        counts[region] = counts.get(region, 0) + 1
    ordered = sorted(counts, key=lambda r: (r == NO_REGION, -counts[r], r))
    return {
        region: PALETTE[index] if index < len(PALETTE) and region != NO_REGION else OTHER_COLOUR
        for index, region in enumerate(ordered)
    }


def pack_components(graph: nx.Graph) -> dict[int, tuple[float, float]]:
    """Lay out each connected part on its own, then set the parts side by side in rows.

    One spring layout of the whole graph pushes small parts to the corners and squeezes the
    largest one into the middle; here each part gets room in proportion to its size.
    """
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    sides = [math.sqrt(len(part)) for part in parts]
    aspect = (WIDTH - 2 * MARGIN_X) / (HEIGHT - 2 * MARGIN_Y)
    # A row a little wider than a square of all the parts lets small ones sit beside the largest.
    row_width = 1.15 * max(sides[0], math.sqrt(sum(side * side for side in sides) * aspect))
    gap = 0.35
    positions: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part, side in zip(parts, sides, strict=True):
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        sub = graph.subgraph(part)
        spacing = 2.6 / math.sqrt(len(part))  # more room than networkx's default, for names
        laid = nx.spring_layout(sub, weight="weight", seed=SEED, k=spacing, iterations=120)
        for node, (px, py) in laid.items():
            # spring_layout centres a part on 0 within [-1, 1]; move it into its cell.
            positions[node] = (x + side * (float(px) + 1) / 2, y + side * (float(py) + 1) / 2)
        x += side + gap
        row_height = max(row_height, side)
    return positions


def draw(graph: nx.Graph) -> Drawing:
    """Lay out the most connected counterparts with a seeded spring layout, scaled to the SVG."""
    # Over the whole network when the graph was cut to its most connected nodes.
    strength = {
        n: graph.nodes[n].get("exchanges", graph.degree(n, weight="weight")) for n in graph.nodes
    }
    partners = {n: graph.nodes[n].get("partners", graph.degree(n)) for n in graph.nodes}
    kept = sorted(graph.nodes, key=lambda n: (-strength[n], graph.nodes[n].get("label", "")))
    kept = kept[:MAX_DRAWN]
    sub = graph.subgraph(kept)
    if not kept:
        return Drawing([], [], [], 0, 0)
    positions = pack_components(sub)
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)

    def place(node: int) -> tuple[float, float]:
        x, y = positions[node]
        px = MARGIN_X + (WIDTH - 2 * MARGIN_X) * ((float(x) - x0) / (x1 - x0) if x1 > x0 else 0.5)
        py = MARGIN_Y + (HEIGHT - 2 * MARGIN_Y - 14) * (
            (float(y) - y0) / (y1 - y0) if y1 > y0 else 0.5
        )
        return round(px, 1), round(py, 1)

    colours = region_colours([sub.nodes[n].get("region", NO_REGION) for n in kept])
    top = max(strength[n] for n in kept)
    named = set(kept[:LABELLED])
    nodes = []
    for node in kept:
        data = sub.nodes[node]
        x, y = place(node)
        region = data.get("region", NO_REGION)
        nodes.append(
            Node(
                id=node,
                label=data.get("label", f"#{node}"),
                country=data.get("country", ""),
                region=region,
                partners=partners[node],
                exchanges=strength[node],
                x=x,
                y=y,
                r=round(4 + 14 * math.sqrt(strength[node] / top), 1),
                colour=colours[region],
                labelled=node in named,
            )
        )
    # Each tie as (lower id, higher id): networkx orients an edge by the order nodes came in.
    ties = sorted(
        ((min(a, b), max(a, b), w) for a, b, w in sub.edges(data="weight")),
        key=lambda tie: (-tie[2], tie[0], tie[1]),
    )[:MAX_TIES]
    heaviest = max((w for _, _, w in ties), default=1)
    edges = []
    for a, b, weight in ties:
        (xa, ya), (xb, yb) = place(a), place(b)
        width = round(0.6 + 4 * math.log1p(weight) / math.log1p(heaviest), 2)
        edges.append(Edge(a, b, weight, xa, ya, xb, yb, width))
    legend = [(region, colour) for region, colour in colours.items() if colour != OTHER_COLOUR]
    if any(colour == OTHER_COLOUR for colour in colours.values()):
        legend.append(("Other or no country", OTHER_COLOUR))
    total_nodes = graph.graph.get("nodes", graph.number_of_nodes())
    total_edges = graph.graph.get("edges", graph.number_of_edges())
    return Drawing(nodes, edges, legend, total_nodes, total_edges)


def _plural(count: int, noun: str) -> str:
    """Write a count with its noun, in the plural unless it is one."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _short(text: str, most: int = 28) -> str:
    """Cut a name to at most `most` characters, with an ellipsis."""
    return text if len(text) <= most else text[: most - 1] + "…"


def svg_body(drawing: Drawing) -> SafeString:
    """Write the ties and the nodes as SVG (built here: a template is slow for thousands)."""
    parts = ['<g class="edges">']
    for e in drawing.edges:
        parts.append(
            f'<line data-a="{e.a}" data-b="{e.b}" x1="{e.x1}" y1="{e.y1}" x2="{e.x2}" '
            f'y2="{e.y2}" stroke-width="{e.width}"><title>'
            f"{_plural(e.weight, 'shared exchange')}</title></line>"
        )
    parts.append('</g><g class="nodes">')
    for n in drawing.nodes:
        where = f" ({n.country})" if n.country else ""
        title = (
            f"{n.label}{where}: {_plural(n.exchanges, 'shared exchange')} "
            f"with {_plural(n.partners, 'partner')}"
        )
        name = (
            f'<text x="{n.x}" y="{n.y}" dy="{round(n.r + 11, 1)}">{escape(_short(n.label))}</text>'
            if n.labelled
            else ""
        )
        parts.append(
            f'<a class="node" href="{reverse("actor_detail", args=[n.id])}" data-id="{n.id}" '
            f'aria-label="{escape(n.label)}"><title>{escape(title)}</title>'
            f'<circle cx="{n.x}" cy="{n.y}" r="{n.r}" fill="{n.colour}"></circle>{name}</a>'
        )
    parts.append("</g>")
    return mark_safe("".join(parts))  # every name escaped above


@login_required
def network(request: HttpRequest) -> HttpResponse:
    """Show the network of counterparts for the chosen filters, or send it as GraphML."""
    filters = read_filters(request)
    if request.GET.get("format") == "graphml":
        graph = build_network(filtered_exchanges(request, filters))
        response = HttpResponse(graphml(graph), content_type="application/graphml+xml")
        response["Content-Disposition"] = 'attachment; filename="network.graphml"'
        return response
    drawing = kept_for(
        request,
        "network",
        filters,
        lambda: draw(build_network(filtered_exchanges(request, filters), most=MAX_DRAWN)),
    )
    context = {
        **filter_form(filters),
        "drawing": drawing,
        "svg_body": svg_body(drawing),
        "width": WIDTH,
        "height": HEIGHT,
        "max_drawn": MAX_DRAWN,
        "strongest": sorted(drawing.nodes, key=lambda n: (-n.exchanges, n.label))[:15],
        "keep": [],
    }
    return render(request, "liaison/network.html", context)
