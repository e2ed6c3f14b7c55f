"""The network of counterparts linked by shared exchanges, and its measures (networkx).

Degree, strength and the ties between regions are counted over every tie as the database
streams them. Paths and communities run on a graph of each counterpart's `TIES_KEPT` strongest
ties, so memory grows with the counterparts, not the exchanges. Betweenness is exact on small
graphs and otherwise estimated from fewer sources the more ties there are (at least
`MIN_SAMPLES`, at most `BETWEENNESS_SAMPLES`), picked with a fixed seed, so it is repeatable.
Communities are Louvain communities with the same seed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from liaison.ledger.figures_queries import ActorFacts

SEED = 42
BETWEENNESS_SAMPLES = 300  # at most this many sources; exact on graphs up to this many nodes
MIN_SAMPLES = 10
# Sources are fewer on larger graphs: about this many ties visited in all (a second or two).
BETWEENNESS_WORK = 400_000
TIES_KEPT = 8  # each counterpart's strongest ties, kept in the graph the paths run on
NO_REGION = "(no country)"


@dataclass(frozen=True)
class RegionBridge:
    """Ties between two regions: how many pairs and how many shared exchanges."""

    regions: tuple[str, str]
    pairs: int
    weight: int


@dataclass
class Ties:
    """Every tie summarised in one pass: per node and per pair of regions, plus the kept ties."""

    degree: Counter[int]
    strength: Counter[int]
    pairs: Counter[tuple[str, str]]
    weights: Counter[tuple[str, str]]
    reach: dict[int, set[str]]
    kept: list[tuple[int, int, int]]
    total: int


def _region(facts: dict[int, ActorFacts], node: int) -> str:
    actor = facts.get(node)
    return (actor.region or NO_REGION) if actor else NO_REGION


def summarize_ties(
    ties: Iterable[tuple[int, int, int]],
    facts: dict[int, ActorFacts],
    keep: int = TIES_KEPT,
    chunk: int = 50_000,
) -> Ties:
    """Count degree, strength and ties between regions over every tie, a chunk at a time.

    Only each node's `keep` strongest ties (ties broken by the smaller other node's id) are
    kept for the graph: memory grows with the counterparts, not with the ties or the exchanges.
    Each chunk is counted with numpy: a million ties in Python loops took seconds.
    """
    regions = sorted({_region(facts, node) for node in facts} | {NO_REGION})
    index = {name: i for i, name in enumerate(regions)}
    width = len(regions)
    size = max(facts, default=0) + 1
    region_of = np.full(size, index[NO_REGION], dtype=np.int64)
    for node in facts:
        region_of[node] = index[_region(facts, node)]
    degree = np.zeros(size, dtype=np.int64)
    strength = np.zeros(size, dtype=np.int64)
    reach = np.zeros((size, width), dtype=bool)
    pairs = np.zeros(width * width, dtype=np.int64)
    weights = np.zeros(width * width, dtype=np.int64)
    kept = np.zeros((0, 3), dtype=np.int64)  # (node, other, weight): each node's strongest
    total = 0
    rows = iter(ties)
    while block := list(islice(rows, chunk)):
        tie = np.array(block, dtype=np.int64).reshape(-1, 3)
        a, b, w = tie[:, 0], tie[:, 1], tie[:, 2]
        total += len(tie)
        top = int(max(a.max(), b.max())) + 1
        if top > size:  # an actor without facts (merged away since): no region
            grow = top - size
            region_of = np.concatenate([region_of, np.full(grow, index[NO_REGION])])
            degree = np.concatenate([degree, np.zeros(grow, dtype=np.int64)])
            strength = np.concatenate([strength, np.zeros(grow, dtype=np.int64)])
            reach = np.concatenate([reach, np.zeros((grow, width), dtype=bool)])
            size = top
        for side in (a, b):
            degree += np.bincount(side, minlength=size)
            strength += np.bincount(side, weights=w, minlength=size).astype(np.int64)
        ra, rb = region_of[a], region_of[b]
        cross = ra != rb
        key = np.minimum(ra, rb)[cross] * width + np.maximum(ra, rb)[cross]
        pairs += np.bincount(key, minlength=width * width)
        weights += np.bincount(key, weights=w[cross], minlength=width * width).astype(np.int64)
        reach[a[cross], rb[cross]] = True
        reach[b[cross], ra[cross]] = True
        kept = _strongest(np.concatenate([kept, tie, tie[:, [1, 0, 2]]]), keep)
    found_pairs: Counter[tuple[str, str]] = Counter()
    found_weights: Counter[tuple[str, str]] = Counter()
    for found in np.flatnonzero(pairs).tolist():
        name = (regions[found // width], regions[found % width])
        found_pairs[name] = int(pairs[found])
        found_weights[name] = int(weights[found])
    nodes = np.flatnonzero(degree).tolist()
    spanning = {
        node: {regions[i] for i in np.flatnonzero(reach[node]).tolist()}
        for node in np.flatnonzero(reach.any(axis=1)).tolist()
    }
    undirected = {
        (min(node, other), max(node, other)): weight for node, other, weight in kept.tolist()
    }
    return Ties(
        Counter(dict(zip(nodes, degree[nodes].tolist(), strict=True))),
        Counter(dict(zip(nodes, strength[nodes].tolist(), strict=True))),
        found_pairs,
        found_weights,
        spanning,
        sorted((a, b, w) for (a, b), w in undirected.items()),
        total,
    )


def _strongest(ties: npt.NDArray[np.int64], keep: int) -> npt.NDArray[np.int64]:
    """Keep each node's `keep` strongest (node, other, weight) rows: heaviest, then lowest other."""
    order = np.lexsort((ties[:, 1], -ties[:, 2], ties[:, 0]))
    ties = ties[order]
    node = ties[:, 0]
    first = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    starts = np.repeat(first, np.diff(np.r_[first, len(node)]))
    kept: npt.NDArray[np.int64] = ties[np.arange(len(node)) - starts < keep]
    return kept


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
            region=_region(facts, node),
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
class Network:
    """The measures of a network: per node, communities, and the bridges between regions."""

    nodes: int
    edges: int
    scores: list[NodeScore]
    communities: list[list[int]]
    region_bridges: list[RegionBridge]
    bridge_counterparts: list[tuple[int, int]]  # (actor, number of other regions it is tied to)
    betweenness_sampled: bool
    edges_kept: int = 0  # ties in the graph that betweenness and communities run on
    betweenness_sources: int = 0


def sources_for(graph: nx.Graph, samples: int = BETWEENNESS_SAMPLES) -> int:
    """Return how many sources betweenness starts from: all nodes on small graphs."""
    nodes: int = graph.number_of_nodes()
    edges: int = max(graph.number_of_edges(), 1)
    return min(nodes, samples, max(MIN_SAMPLES, BETWEENNESS_WORK // edges))


def betweenness(
    graph: nx.Graph, samples: int = BETWEENNESS_SAMPLES
) -> tuple[dict[Any, float], bool]:
    """Return betweenness per node; estimated from fixed-seed sources on larger graphs."""
    sources = sources_for(graph, samples)
    if sources >= graph.number_of_nodes():
        return nx.betweenness_centrality(graph, weight="distance"), False
    scores = nx.betweenness_centrality(graph, k=sources, weight="distance", seed=SEED)
    return scores, True


def communities(graph: nx.Graph) -> list[list[int]]:
    """Return Louvain communities (fixed seed), largest first, members sorted."""
    if graph.number_of_edges() == 0:
        return [[node] for node in sorted(graph.nodes)]
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    ordered = [sorted(group) for group in found]
    ordered.sort(key=lambda group: (-len(group), group[0]))
    return ordered


def region_bridges(ties: Ties) -> tuple[list[RegionBridge], list[tuple[int, int]]]:
    """Return the ties between regions, and each node's number of other regions tied to."""
    bridges = [RegionBridge(key, ties.pairs[key], ties.weights[key]) for key in ties.pairs]
    bridges.sort(key=lambda b: (-b.weight, b.regions))
    spanning = sorted(
        ((node, len(regions)) for node, regions in ties.reach.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return bridges, spanning


def measure(graph: nx.Graph, ties: Ties, samples: int = BETWEENNESS_SAMPLES) -> Network:
    """Measure a network: degree and strength over every tie; paths and communities on
    the graph of kept ties; bridges between regions over every tie."""
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
            ties.degree[node],
            ties.strength[node],
            between.get(node, 0.0),
            community_of[node],
        )
        for node, data in graph.nodes(data=True)
    ]
    scores.sort(key=lambda s: (-s.strength, s.name))
    bridges, spanning = region_bridges(ties)
    return Network(
        graph.number_of_nodes(),
        ties.total,
        scores,
        groups,
        bridges,
        spanning,
        sampled,
        graph.number_of_edges(),
        sources_for(graph, samples),
    )


def ego_network(graph: nx.Graph, actor_id: int, radius: int = 1) -> nx.Graph:
    """Return the counterparts within `radius` ties of one actor, with the ties among them."""
    if actor_id not in graph:
        return nx.Graph()
    return nx.ego_graph(graph, actor_id, radius=radius)


def write_graphml(graph: nx.Graph, handle: IO[bytes]) -> None:
    """Write a network as GraphML (node attributes: name, kind, country, region, home...)."""
    nx.write_graphml(graph, handle, named_key_ids=True)
