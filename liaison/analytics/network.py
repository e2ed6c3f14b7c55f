"""The network of counterparts linked by shared exchanges, and its measures (networkx).

Betweenness on a large graph is estimated from `BETWEENNESS_SAMPLES` source nodes picked with a
fixed seed (networkx's k-sampling), so it is exact on graphs up to that many nodes and
repeatable on larger ones. Communities are Louvain communities with the same fixed seed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import networkx as nx

from liaison.ledger.figures_queries import ActorFacts

SEED = 42
BETWEENNESS_SAMPLES = 300
NO_REGION = "(no country)"


def build_graph(
    edges: Iterable[tuple[int, int, int]],
    facts: dict[int, ActorFacts],
    home_ids: frozenset[int] = frozenset(),
) -> nx.Graph:
    """Build the weighted graph: a node per actor, an edge per pair sharing exchanges."""
    graph = nx.Graph()
    for a, b, weight in edges:
        # distance is what shortest paths (betweenness) use: more shared exchanges, closer.
        graph.add_edge(a, b, weight=weight, distance=1 / weight)
    for node in graph.nodes:
        actor = facts.get(node)
        graph.nodes[node].update(
            name=actor.name if actor else f"actor {node}",
            kind=actor.kind if actor else "",
            country=(actor.country or "") if actor else "",
            region=(actor.region or NO_REGION) if actor else NO_REGION,
            home=node in home_ids,
        )
    return graph


@dataclass(frozen=True)
class NodeScore:
    """A counterpart and its measures in the network."""

    actor_id: int
    name: str
    country: str
    region: str
    degree: int
    strength: int
    betweenness: float
    community: int


@dataclass(frozen=True)
class RegionBridge:
    """Ties between two regions: how many pairs and how many shared exchanges."""

    regions: tuple[str, str]
    pairs: int
    weight: int


@dataclass(frozen=True)
class Network:
    """The measures of a network: per node, communities, and the bridges between regions."""

    nodes: int
    edges: int
    scores: list[NodeScore]
    communities: list[list[int]]
    region_bridges: list[RegionBridge]
    bridge_counterparts: list[tuple[int, int]]  # (actor, number of other regions it is tied to)
    betweenness_sampled: bool


def betweenness(
    graph: nx.Graph, samples: int = BETWEENNESS_SAMPLES
) -> tuple[dict[Any, float], bool]:
    """Return betweenness per node; sampled from `samples` sources on larger graphs."""
    if graph.number_of_nodes() <= samples:
        return nx.betweenness_centrality(graph, weight="distance"), False
    scores = nx.betweenness_centrality(graph, k=samples, weight="distance", seed=SEED)
    return scores, True


def communities(graph: nx.Graph) -> list[list[int]]:
    """Return Louvain communities (fixed seed), largest first, members sorted."""
    if graph.number_of_edges() == 0:
        return [[node] for node in sorted(graph.nodes)]
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    ordered = [sorted(group) for group in found]
    ordered.sort(key=lambda group: (-len(group), group[0]))
    return ordered


def region_bridges(graph: nx.Graph) -> tuple[list[RegionBridge], list[tuple[int, int]]]:
    """Return the ties between regions, and each node's number of other regions tied to."""
    pairs: Counter[tuple[str, str]] = Counter()
    weights: Counter[tuple[str, str]] = Counter()
    reach: dict[int, set[str]] = defaultdict(set)
    for a, b, weight in graph.edges(data="weight"):
        ra, rb = graph.nodes[a]["region"], graph.nodes[b]["region"]
        if ra == rb:
            continue
        key = (min(ra, rb), max(ra, rb))
        pairs[key] += 1
        weights[key] += weight
        reach[a].add(rb)
        reach[b].add(ra)
    bridges = [RegionBridge(key, pairs[key], weights[key]) for key in pairs]
    bridges.sort(key=lambda b: (-b.weight, b.regions))
    spanning = sorted(
        ((node, len(regions)) for node, regions in reach.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return bridges, spanning


def measure(graph: nx.Graph, samples: int = BETWEENNESS_SAMPLES) -> Network:
    """Measure a network: degree, strength, betweenness, communities, bridges between regions."""
    between, sampled = betweenness(graph, samples)
    groups = communities(graph)
    community_of = {node: index for index, group in enumerate(groups) for node in group}
    for node, index in community_of.items():
        graph.nodes[node]["community"] = index
    scores = [
        NodeScore(
            node,
            data["name"],
            data["country"],
            data["region"],
            graph.degree(node),
            graph.degree(node, weight="weight"),
            between.get(node, 0.0),
            community_of[node],
        )
        for node, data in graph.nodes(data=True)
    ]
    scores.sort(key=lambda s: (-s.strength, s.name))
    bridges, spanning = region_bridges(graph)
    return Network(
        graph.number_of_nodes(),
        graph.number_of_edges(),
        scores,
        groups,
        bridges,
        spanning,
        sampled,
    )


def ego_network(graph: nx.Graph, actor_id: int, radius: int = 1) -> nx.Graph:
    """Return the counterparts within `radius` ties of one actor, with the ties among them."""
    if actor_id not in graph:
        return nx.Graph()
    return nx.ego_graph(graph, actor_id, radius=radius)


def write_graphml(graph: nx.Graph, handle: IO[bytes]) -> None:
    """Write a network as GraphML (node attributes: name, kind, country, region, home...)."""
    nx.write_graphml(graph, handle, named_key_ids=True)
