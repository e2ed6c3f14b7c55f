"""The network page: counterparts linked by shared exchanges, filters, visibility, layout."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from django.test import Client

from liaison.domain.enums import ActorKind, ExchangeType, ReviewStatus, UserRole
from liaison.ledger.models import Exchange
from liaison.web.views import network as network_view
from liaison.web.views.network import MAX_DRAWN, build_network, draw, region_colours
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import Ledger, body

pytestmark = pytest.mark.django_db


def node_ids(page: str) -> set[int]:
    """Return the counterparts drawn as nodes (their ids)."""
    return {int(pk) for pk in re.findall(r'<a class="node" href="/actors/(\d+)/"', page)}


def edge_weights(page: str) -> dict[frozenset[int], int]:
    """Return the ties drawn, with the number of shared exchanges in their tooltips."""
    found = re.findall(
        r'<line data-a="(\d+)" data-b="(\d+)"[^>]*><title>(\d+) shared exchange', page
    )
    return {frozenset((int(a), int(b))): int(n) for a, b, n in found}


def test_nodes_link_to_counterpart_pages_and_edges_count_shared_exchanges(
    logged_in: Client, ledger: Ledger
) -> None:
    make_exchange(ledger.anc, ledger.cpv, when="2019-09-02")
    page = body(logged_in.get("/network/"))
    assert node_ids(page) == {ledger.anc.pk, ledger.cpv.pk, ledger.swapo.pk}
    assert edge_weights(page) == {
        frozenset((ledger.anc.pk, ledger.cpv.pk)): 2,
        frozenset((ledger.cpv.pk, ledger.swapo.pk)): 1,
    }
    assert f'href="/actors/{ledger.anc.pk}/"' in page
    assert "African National Congress" in page
    assert "liaison/network.js" in page
    assert 'href="?format=graphml"' in page


def test_the_internal_exchange_stays_hidden_from_a_sibling_unit(
    logged_in: Client, ledger: Ledger
) -> None:
    page = body(logged_in.get("/network/"))
    assert ledger.lprp.pk not in node_ids(page)
    assert "Lao People" not in page


@pytest.mark.parametrize("unit", ["central", "asia"])
def test_the_unit_of_the_internal_exchange_and_the_units_above_see_it(
    client: Client, ledger: Ledger, unit: str
) -> None:
    client.force_login(make_user(f"{unit}_viewer", UserRole.VIEWER, getattr(ledger, unit)))
    page = body(client.get("/network/"))
    assert ledger.lprp.pk in node_ids(page)
    assert edge_weights(page)[frozenset((ledger.cpv.pk, ledger.lprp.pk))] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=call", {"cpv", "swapo"}),
        ("channel=in_person", {"anc", "cpv", "lprp"}),
        ("start=2024", {"anc", "cpv"}),
        ("end=2023", {"cpv", "swapo", "lprp"}),
        ("start=2022&end=2022", {"cpv", "lprp"}),
        ("region=Asia", {"anc", "cpv", "swapo", "lprp"}),  # CPV is in every exchange
        ("region=Africa", {"anc", "cpv", "swapo"}),
        ("region=Europe", set()),
        ("type=not-a-type", {"anc", "cpv", "swapo", "lprp"}),  # an unknown value is ignored
    ],
)
def test_filters_narrow_the_network(
    client: Client, ledger: Ledger, query: str, expected: set[str]
) -> None:
    client.force_login(make_user("central_viewer", UserRole.VIEWER, ledger.central))
    page = body(client.get(f"/network/?{query}"))
    assert node_ids(page) == {getattr(ledger, name).pk for name in expected}
    if not expected:
        assert "No counterparts shared an exchange with these filters." in page


def test_the_form_keeps_the_chosen_filters(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/network/?start=2020&type=call&region=Africa"))
    assert 'name="start" min="1" max="9999" value="2020"' in page
    assert '<option value="call" selected>' in page
    assert '<option value="Africa" selected>' in page
    assert 'href="?start=2020&amp;region=Africa&amp;type=call&amp;format=graphml"' in page


def test_rejected_exchanges_make_no_ties(logged_in: Client, ledger: Ledger) -> None:
    other = make_actor("Frelimo", country="ZAF")
    make_exchange(ledger.anc, other, review_status=ReviewStatus.REJECTED)
    assert other.pk not in node_ids(body(logged_in.get("/network/")))


def test_a_name_with_markup_is_shown_as_text(logged_in: Client, ledger: Ledger) -> None:
    sly = make_actor("<script>alert(1)</script> Party", country="ZAF")
    make_exchange(ledger.anc, sly)
    page = body(logged_in.get("/network/"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Party" in page


def test_the_page_needs_a_login(client: Client, ledger: Ledger) -> None:
    response = client.get("/network/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", ["/network/", "/map/", "/timeline/"])
def test_the_nav_and_the_tabs_lead_to_each_view_keeping_the_filters(
    logged_in: Client, ledger: Ledger, url: str
) -> None:
    page = body(logged_in.get(f"{url}?type=call"))
    assert re.search(r'<a href="/network/" title="[^"]+" aria-current="page">Explore</a>', page)
    tabs = re.search(r'<nav class="tabs" aria-label="Explore">(.*?)</nav>', page, re.S)
    assert tabs
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>(\w+)</a>', tabs.group(1))
    assert links == [
        ("/network/?type=call", ' aria-current="page"' if url == "/network/" else "", "Network"),
        ("/map/?type=call", ' aria-current="page"' if url == "/map/" else "", "Map"),
        ("/timeline/?type=call", ' aria-current="page"' if url == "/timeline/" else "", "Timeline"),
    ]


def test_a_large_network_draws_its_most_connected_counterparts(ledger: Ledger) -> None:
    hub = make_actor("Hub Party", country="ZAF")
    spokes = [make_actor(f"Spoke {n}", kind=ActorKind.PARTY, country="NAM") for n in range(160)]
    for spoke in spokes:
        make_exchange(hub, spoke, type=ExchangeType.CALL)
    graph = build_network(Exchange.objects.all())
    drawing = draw(graph)
    assert drawing.total_nodes == graph.number_of_nodes() > MAX_DRAWN
    assert len(drawing.nodes) == MAX_DRAWN
    assert drawing.nodes[0].id == hub.pk  # the strongest first, and the biggest dot
    assert drawing.nodes[0].r == max(node.r for node in drawing.nodes)
    drawn = {node.id for node in drawing.nodes}
    assert all(edge.a in drawn and edge.b in drawn for edge in drawing.edges)
    assert all(0 <= node.x <= 1000 and 0 <= node.y <= 680 for node in drawing.nodes)


def test_the_layout_is_the_same_for_the_same_network(ledger: Ledger) -> None:
    first = draw(build_network(Exchange.objects.all()))
    second = draw(build_network(Exchange.objects.all()))
    assert [(n.id, n.x, n.y) for n in first.nodes] == [(n.id, n.x, n.y) for n in second.nodes]


def test_the_graph_carries_names_countries_and_regions(ledger: Ledger) -> None:
    graph = build_network(Exchange.objects.all())
    assert isinstance(graph, nx.Graph)
    anc = graph.nodes[ledger.anc.pk]
    assert anc["label"] == "African National Congress"
    assert (anc["iso3"], anc["region"], anc["exchanges"]) == ("ZAF", "Africa", 1)
    assert graph.nodes[ledger.cpv.pk]["exchanges"] == 3


def test_regions_get_distinct_colours_and_no_country_is_grey() -> None:
    colours = region_colours(["Asia", "Africa", "Africa", "No country"])
    assert colours["Africa"] != colours["Asia"]
    assert colours["No country"] == "#8a8f98"
    assert next(iter(colours)) == "Africa"  # the most frequent region first


def test_a_kept_drawing_is_never_shown_to_a_reader_of_another_scope(
    logged_in: Client, ledger: Ledger
) -> None:
    other = Client()  # logged_in is the client fixture, logged in as the viewer
    other.force_login(make_user("central_viewer", UserRole.VIEWER, ledger.central))
    assert ledger.lprp.pk in node_ids(body(other.get("/network/")))
    assert ledger.lprp.pk not in node_ids(body(logged_in.get("/network/")))
    assert ledger.lprp.pk in node_ids(body(other.get("/network/")))


def test_a_kept_drawing_gives_way_when_the_ledger_changes(
    logged_in: Client, ledger: Ledger
) -> None:
    assert ledger.organ.pk not in node_ids(body(logged_in.get("/network/")))
    make_exchange(ledger.organ, ledger.cpv, when="2024-07-01")
    assert ledger.organ.pk in node_ids(body(logged_in.get("/network/")))


def test_only_the_strongest_ties_are_drawn_past_the_limit(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_exchange(ledger.cpv, ledger.swapo, when="2019-01-05")
    monkeypatch.setattr(network_view, "MAX_TIES", 1)
    drawing = draw(build_network(Exchange.objects.all()))
    assert [(edge.a, edge.b, edge.weight) for edge in drawing.edges] == [
        (min(ledger.cpv.pk, ledger.swapo.pk), max(ledger.cpv.pk, ledger.swapo.pk), 2)
    ]
    assert drawing.total_edges == 3


def test_the_page_builds_only_the_most_connected_part_and_says_how_big_the_whole_is(
    ledger: Ledger,
) -> None:
    make_exchange(ledger.anc, ledger.cpv, when="2019-09-02")
    graph = build_network(Exchange.objects.all(), most=2)
    assert set(graph.nodes) == {ledger.cpv.pk, ledger.anc.pk}
    assert graph.edges[ledger.cpv.pk, ledger.anc.pk]["weight"] == 2
    cpv = graph.nodes[ledger.cpv.pk]
    assert (cpv["exchanges"], cpv["partners"]) == (4, 3)  # over the whole network
    drawing = draw(graph)
    assert (drawing.total_nodes, drawing.total_edges) == (4, 3)
    assert {node.id: node.partners for node in drawing.nodes} == {
        ledger.cpv.pk: 3,
        ledger.anc.pk: 1,
    }
