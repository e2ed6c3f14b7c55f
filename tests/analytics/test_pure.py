"""The pure functions of liaison.analytics, over rows made in the test (no database)."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from liaison.analytics import charts, contacts, figures, network, trends
from liaison.analytics import claims as c
from liaison.analytics.claims import Bounds, Qualifier, Verdict
from liaison.ledger.figures_queries import ActorFacts, ClaimRow, ContactRow, CountryFacts, CubeRow

D = datetime.date
FACTS = {
    1: ActorFacts(1, "Party A", "party", "ZAF", "South Africa", "Africa", "developing"),
    2: ActorFacts(
        2,
        "Organ of A",
        "party_organ",
        "ZAF",
        "South Africa",
        "Africa",
        "developing",
        parent_id=1,
        parent_kind="party",
    ),
    3: ActorFacts(3, "Party B", "party", "DEU", "Germany", "Europe", "developed"),
    4: ActorFacts(4, "Forum", "organization", None, "", "", ""),
}


def test_counterparts_by_kind_and_development() -> None:
    ids = [1, 2, 3, 4, 99]  # 99 is not a live actor (merged away): left out
    # Parties: 1, 2 (organ -> its party 1), 3 -> {1, 3}.
    assert figures.count_counterparts(ids, FACTS, ["party"]) == 2
    # Asking for organs too counts the organ itself: {1, 2, 3}.
    assert figures.count_counterparts(ids, FACTS, ["party", "party_organ"]) == 3
    assert figures.count_counterparts(ids, FACTS) == 4
    assert figures.count_counterparts(ids, FACTS, ["party"], "developing") == 1
    assert figures.countries_of(ids, FACTS) == {"ZAF", "DEU"}
    assert figures.countries_of(ids, FACTS, "developed") == {"DEU"}
    # 1 and 2 developing, 3 developed, 4 without a country: 2 of 3 = 66.7 %.
    developing, known, share = figures.developing_share(ids, FACTS)
    assert (developing, known) == (2, 3)
    assert share == pytest.approx(200 / 3)
    assert figures.developing_share([4], FACTS) == (0, 0, None)


def test_cube_tallies_and_delegations() -> None:
    cube = [
        CubeRow(2023, "visit", "in_person", None, 1, "abroad", 3),
        CubeRow(2023, "visit", "in_person", None, 2, "home", 2),
        CubeRow(2024, "visit", "video", 7, 1, "unknown", 1),
        CubeRow(2024, "meeting", "video", 7, None, "home", 4),
    ]
    assert figures.cube_tally(cube, lambda r: r.type) == {"visit": 6, "meeting": 4}
    assert figures.cube_tally(cube, lambda r: r.channel) == {"video": 5, "in_person": 5}
    # Abroad 3 sent, home 2 received, the unplaced one goes by roles (here: received).
    unplaced = {"sent": 0, "received": 1, "unknown": 0}
    assert figures.delegations(cube, unplaced) == figures.Directions(3, 3, 0)
    assert figures.tally(["b", "a", "b"]) == {"b": 2, "a": 1}


def test_group_reach() -> None:
    groups = {"AU": ("African Union", frozenset({"ZAF", "KEN"}))}
    # ZAF reached by 1 and 2; KEN not: 1 of 2 countries, 2 counterparts.
    assert figures.group_reach([1, 2, 3], FACTS, groups) == [
        figures.GroupReach("AU", "African Union", 2, 1, 2)
    ]


def test_contacts_dormant_and_unreached() -> None:
    rows = [
        ContactRow(1, D(2019, 1, 1), D(2020, 2, 29), 0, 0),
        ContactRow(3, D(2022, 5, 1), D(2024, 3, 1), 2, 1),
    ]
    spans = contacts.contact_spans(rows, FACTS)
    assert [s.actor_id for s in spans] == [3, 1]  # most recent first
    # 3 years before 2023-03-01 is 2020-03-01: 1 (last 2020-02-29) is dormant, 3 is not.
    assert [s.actor_id for s in contacts.dormant(spans, D(2023, 3, 1), 3)] == [1]
    assert contacts.years_before(D(2024, 2, 29), 1) == D(2023, 2, 28)
    world = [
        CountryFacts("ZAF", "South Africa", "sovereign", "Africa", "developing"),
        CountryFacts("DEU", "Germany", "sovereign", "Europe", "developed"),
        CountryFacts("CHN", "China", "sovereign", "Asia", "developing"),
        CountryFacts("GUM", "Guam", "territory", "Oceania", "developed"),
    ]
    missing = contacts.countries_without_contact([3], FACTS, world, "CHN")
    assert [x.iso3 for x in missing] == ["ZAF"]


def test_growth() -> None:
    cube = [
        CubeRow(2020, "meeting", "video", None, None, "home", 4),
        CubeRow(2022, "meeting", "video", None, None, "home", 6),
        CubeRow(2022, "call", "phone", None, None, "home", 2),
    ]
    first = [
        ContactRow(1, D(2020, 1, 1), D(2022, 1, 1), 2, 0),
        ContactRow(2, D(2022, 3, 1), D(2022, 3, 1), 1, 0),
    ]
    rows = trends.growth(cube, [(2020, 1), (2022, 2)], first)
    # 2021 has nothing: the change to it is -100 %, and from it none (no base).
    assert [(r.year, r.exchanges, r.counterparts, r.new_counterparts) for r in rows] == [
        (2020, 4, 1, 1),
        (2021, 0, 0, 0),
        (2022, 8, 2, 1),
    ]
    assert [r.exchanges_change for r in rows] == [None, -100.0, None]
    assert trends.change(6, 4) == 50.0
    assert trends.growth([], [], []) == []


@pytest.mark.parametrize(
    ("qualifier", "value", "record", "verdict"),
    [
        (Qualifier(1.0, None, low_open=True), 600, 600, Verdict.ABOVE),  # "more than 600"
        (Qualifier(1.0, None, low_open=True), 600, 601, Verdict.AGREES),
        (Qualifier(1.0, None), 600, 600, Verdict.AGREES),  # "at least 600"
        (Qualifier(0.9, 1.0), 100, 90, Verdict.AGREES),  # "nearly 100": 90 to 100
        (Qualifier(0.9, 1.0), 100, 89, Verdict.ABOVE),
        (Qualifier(0.9, 1.0), 100, 101, Verdict.BELOW),
        (Qualifier(None, 1.0, high_open=True), 10, 10, Verdict.BELOW),  # "less than 10"
        (Qualifier(1.0, 1.0), 7, 7, Verdict.AGREES),
    ],
)
def test_judge(qualifier: Qualifier, value: float, record: float, verdict: Verdict) -> None:
    assert c.judge(record, c.bounds(value, qualifier)) is verdict


def test_bounds_describe() -> None:
    assert Bounds(600, None, True, False).describe() == "> 600"
    assert Bounds(90, 100, False, False).describe() == "≥ 90 and ≤ 100"
    assert Bounds(7, 7, False, False).describe() == "= 7"


def _claim(value: float, qualifier: str, subject: str, evidence: str) -> ClaimRow:
    return ClaimRow(1, value, qualifier, subject, D(2024, 1, 1), "confirmed", evidence, "", "")


@pytest.mark.parametrize(
    ("qualifier", "value", "subject", "evidence", "rule"),
    [
        (
            "more than",
            600,
            "political parties",
            "ties with more than 600 political parties and political organizations",
            "parties and organizations",
        ),
        ("over", 160, "countries", "in over 160 countries and regions", "countries"),
        ("over", 500, "briefings", "held over 500 briefings for foreign parties", "briefings held"),
        (
            "nearly",
            100,
            "batches",
            "nearly 100 batches of local delegations abroad",
            "delegations sent",
        ),
        (
            "about",
            300,
            "participants",
            "about 300 participants attended the forum",
            "attendance of one event",
        ),
        ("exactly", 6, "parties", "the six parties met in Victoria Falls", "a particular group"),
    ],
)
def test_rule_matching_on_the_shipped_rules(
    qualifier: str, value: float, subject: str, evidence: str, rule: str
) -> None:
    found = c.match_rule(_claim(value, qualifier, subject, evidence), c.load_rules())
    assert found is not None and found.name == rule


def test_claimed_value_scales() -> None:
    rules = c.load_rules()
    # "three quarters" is 75 percent.
    share = _claim(3, "more than", "quarters of them from developing countries", "")
    found = c.match_rule(share, rules)
    assert found is not None and found.metric == "developing_share"
    assert c.claimed_value(share, found) == 75


def test_graph_measures_on_a_path() -> None:
    facts = {
        i: ActorFacts(i, f"n{i}", "party", None, "", r, "")
        for i, r in [(1, "A"), (2, "A"), (3, "B")]
    }
    ties = network.summarize_ties([(1, 2, 3), (2, 3, 1)], facts)
    measured = network.measure(network.build_graph(ties.kept, facts), ties)
    # A path 1-2-3: 2 lies on the one path between 1 and 3; normalised by 1 pair -> 1.0.
    between = {s.actor_id: s.betweenness for s in measured.scores}
    assert between == {1: 0.0, 2: 1.0, 3: 0.0}
    assert [(s.actor_id, s.strength) for s in measured.scores] == [(2, 4), (1, 3), (3, 1)]
    assert measured.region_bridges == [network.RegionBridge(("A", "B"), 1, 1)]
    assert network.communities(nx.Graph()) == []


def test_charts_are_svg_with_escaped_labels() -> None:
    svg = charts.bar_chart([("<b>&", 3), ("x" * 60, 1.5)], "Title")
    assert svg.startswith("<svg") and "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert "x" * 60 in svg  # the full label kept as a tooltip
    assert "…" in svg
    years = charts.column_chart([(str(y), y - 2000) for y in range(2000, 2030)], "Years")
    assert years.count("<rect") == 30
    assert ">2000<" in years and ">2001<" not in years  # labels thinned when crowded


def test_only_the_strongest_ties_are_kept() -> None:
    facts: dict[int, ActorFacts] = {}
    # A star: 0 tied to 1..5 with weights 1..5, and a tie 4-5 of weight 1.
    ties = network.summarize_ties([(0, i, i) for i in range(1, 6)] + [(4, 5, 1)], facts, keep=2)
    # Every tie counts in degree and strength: 0 has 5 ties of weight 1 + 2 + 3 + 4 + 5 = 15.
    assert (ties.degree[0], ties.strength[0], ties.total) == (5, 15, 6)
    # Kept: 0's two strongest (0-5, 0-4); 1's, 2's and 3's only tie (to 0); 4's and 5's two
    # strongest are 0-4 / 0-5 and 4-5. So no tie is dropped here...
    assert ties.kept == [(0, 1, 1), (0, 2, 2), (0, 3, 3), (0, 4, 4), (0, 5, 5), (4, 5, 1)]
    # ...and with keep=1: 0-5 (0's strongest), 0-1, 0-2, 0-3 (their only ties), 0-4 (4's
    # strongest), 0-5 (5's strongest): 4-5 is nobody's strongest.
    one = network.summarize_ties([(0, i, i) for i in range(1, 6)] + [(4, 5, 1)], facts, keep=1)
    assert one.kept == [(0, 1, 1), (0, 2, 2), (0, 3, 3), (0, 4, 4), (0, 5, 5)]
    assert network.build_graph(one.kept, facts).number_of_edges() == 5


def test_every_rule_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    for rule in c.load_rules().rules:
        assert f"| {rule.name} |" in docs, rule.name


def test_ties_summarised_in_chunks_match_a_plain_count() -> None:
    rng = random.Random(3)
    facts = {
        i: ActorFacts(i, f"n{i}", "party", None, "", rng.choice(["A", "B", "C", ""]), "")
        for i in range(40)
    }
    # Actors 40..44 have no facts (merged away): no region, and ids past the known ones.
    found = {(a, b) for a in range(45) for b in range(a + 1, 45) if rng.random() < 0.3}
    ties = [(a, b, rng.randint(1, 4)) for a, b in sorted(found)]
    summary = network.summarize_ties(ties, facts, keep=3, chunk=7)

    def region(node: int) -> str:
        return facts[node].region or network.NO_REGION if node in facts else network.NO_REGION

    by_node: dict[int, list[tuple[int, int]]] = {}
    for a, b, w in ties:
        by_node.setdefault(a, []).append((b, w))
        by_node.setdefault(b, []).append((a, w))
    assert summary.total == len(ties)
    assert summary.degree == Counter({n: len(t) for n, t in by_node.items()})
    assert summary.strength == Counter({n: sum(w for _, w in t) for n, t in by_node.items()})
    kept = set()
    for node, others in by_node.items():
        for other, w in sorted(others, key=lambda t: (-t[1], t[0]))[:3]:
            kept.add((min(node, other), max(node, other), w))
    assert summary.kept == sorted(kept)
    crossing = [(a, b, w) for a, b, w in ties if region(a) != region(b)]
    pairs = Counter(tuple(sorted((region(a), region(b)))) for a, b, _ in crossing)
    assert summary.pairs == pairs
    assert summary.reach == {
        n: {region(o) for o, _ in t if region(o) != region(n)}
        for n, t in by_node.items()
        if any(region(o) != region(n) for o, _ in t)
    }
