"""The network of the small ledger (conftest.py): ties, degree, betweenness, communities..."""

from __future__ import annotations

import pytest

from liaison.analytics import network as n
from liaison.analytics.network import RegionBridge
from liaison.analytics.record import Record
from liaison.analytics.report import build_report, counterpart_graph
from liaison.analytics.scope import build_scope
from tests.analytics.conftest import FROM, TO, Ledger

# Counterpart pairs sharing counted exchanges (home actors left out):
#   E4: A1 A4 A5 A7 -> A1-A4 A1-A5 A1-A7 A4-A5 A4-A7 A5-A7
#   E5: A4-A8   E7: A2-A6   E10: A1-A9   E12: A1-A3 A1-A4 A3-A4
# A1-A4 shares E4 and E12 (weight 2); every other pair one exchange: 11 ties, 9 nodes.


def _by_name(ledger: Ledger) -> dict[int, str]:
    return {actor.pk: name for name, actor in ledger.actors.items()}


def test_degree_and_strength(ledger: Ledger) -> None:
    report = build_report(build_scope(FROM, TO))
    network = report.network
    assert (network.nodes, network.edges) == (9, 11)
    names = _by_name(ledger)
    scores = {names[s.actor_id]: (s.degree, s.strength) for s in network.scores}
    # A1: A3 A4 A5 A7 A9 -> degree 5, strength 2 + 1 + 1 + 1 + 1 = 6; A4 the same
    # (A1 A3 A5 A7 A8); A5 and A7: 3 ties each; A3: 2; A2 A6 A8 A9: 1.
    assert scores == {
        "A1": (5, 6),
        "A4": (5, 6),
        "A5": (3, 3),
        "A7": (3, 3),
        "A3": (2, 2),
        "A2": (1, 1),
        "A6": (1, 1),
        "A8": (1, 1),
        "A9": (1, 1),
    }
    # Key counterparts by shared exchanges: the strongest first, ties broken by name.
    assert [names[s.actor_id] for s in report.key_by_strength[:2]] == ["A1", "A4"]  # ANC, CPV


def test_betweenness_by_hand(ledger: Ledger) -> None:
    network = build_report(build_scope(FROM, TO)).network
    names = _by_name(ledger)
    between = {names[s.actor_id]: s.betweenness for s in network.scores}
    # Distances are 1 / shared exchanges (A1-A4 is 0.5). A9 reaches everyone through A1
    # (5 pairs: A3 A4 A5 A7 A8), A8 everyone through A4 (5 pairs: A1 A3 A5 A7 A9; A8-A9 goes
    # through both). A3-A5 and A3-A7 each have two shortest paths of length 2, one through A1
    # and one through A4: half a pair each. So A1 = A4 = 5 + 0.5 + 0.5 = 6 pairs; nobody else
    # lies between. Normalised over (n - 1)(n - 2) / 2 = 28 pairs (n = 9): 6 / 28.
    assert between["A1"] == pytest.approx(6 / 28)
    assert between["A4"] == pytest.approx(6 / 28)
    assert all(between[x] == 0 for x in ("A2", "A3", "A5", "A6", "A7", "A8", "A9"))
    assert not network.betweenness_sampled


def test_communities_split_the_components(ledger: Ledger) -> None:
    network = build_report(build_scope(FROM, TO)).network
    names = _by_name(ledger)
    groups = [sorted(names[x] for x in group) for group in network.communities]
    # Every counterpart in exactly one community; A2-A6 are a component of their own, so
    # they form one community, apart from everyone else.
    assert sorted(x for group in groups for x in group) == sorted(f"A{i}" for i in range(1, 10))
    assert ["A2", "A6"] in groups
    assert len(network.communities) >= 2


def test_bridges_between_regions(ledger: Ledger) -> None:
    network = build_report(build_scope(FROM, TO)).network
    # Africa-Asia: A1-A4 (2), A3-A4, A4-A8 -> 3 pairs, 4 shared exchanges; Africa-Europe:
    # A1-A5, A2-A6 -> 2, 2; then one tie each, ordered by the region names.
    assert network.region_bridges == [
        RegionBridge(("Africa", "Asia"), 3, 4),
        RegionBridge(("Africa", "Europe"), 2, 2),
        RegionBridge(("(no country)", "Africa"), 1, 1),
        RegionBridge(("Africa", "Americas"), 1, 1),
        RegionBridge(("Americas", "Asia"), 1, 1),
        RegionBridge(("Americas", "Europe"), 1, 1),
        RegionBridge(("Asia", "Europe"), 1, 1),
    ]
    names = _by_name(ledger)
    spanning = {names[node]: count for node, count in network.bridge_counterparts}
    # A1 is tied to Asia, Europe, the Americas and no-country A9: 4 other regions; A4, A5, A7: 3.
    assert spanning["A1"] == 4
    assert (spanning["A4"], spanning["A5"], spanning["A7"]) == (3, 3, 3)
    assert network.bridge_counterparts[0] == (ledger.id("A1"), 4)


def test_ego_network(ledger: Ledger) -> None:
    graph = counterpart_graph(Record(build_scope(FROM, TO)))
    ego = n.ego_network(graph, ledger.id("A5"))
    names = _by_name(ledger)
    # A5's neighbours A1 A4 A7, and the ties among all four: A1-A4 A1-A5 A1-A7 A4-A5 A4-A7 A5-A7.
    assert sorted(names[x] for x in ego.nodes) == ["A1", "A4", "A5", "A7"]
    assert ego.number_of_edges() == 6
    assert ego.edges[ledger.id("A1"), ledger.id("A4")]["weight"] == 2
    assert n.ego_network(graph, -1).number_of_nodes() == 0


def test_sampled_betweenness_is_repeatable(ledger: Ledger) -> None:
    graph = counterpart_graph(Record(build_scope(FROM, TO)))
    first, sampled = n.betweenness(graph, samples=4)
    again, _ = n.betweenness(graph, samples=4)
    assert sampled and first == again
