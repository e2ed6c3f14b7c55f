"""The office's report: figures, growth, contact, the network's key counterparts, claims."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

import networkx as nx

from liaison.analytics import claims as c
from liaison.analytics import contacts as k
from liaison.analytics import network as n
from liaison.analytics.figures import DEVELOPMENT_CONVENTION, Figures, in_contact
from liaison.analytics.record import Record
from liaison.analytics.trends import YearRow, growth
from liaison.ledger import figures_queries as q
from liaison.ledger.figures_queries import CountryFacts, Scope

DORMANT_YEARS = 3
KEY_COUNTERPARTS = 10


@dataclass(frozen=True)
class Report:
    """Everything the report shows, computed for one scope."""

    scope: Scope
    unit: str | None
    convention: str
    figures: Figures
    growth: list[YearRow]
    contacts: list[k.ContactSpan]
    dormant_years: int
    dormant: list[k.ContactSpan]
    countries_without_contact: list[CountryFacts]
    network: n.Network
    claims: list[c.ClaimCheck]

    @property
    def key_by_strength(self) -> list[n.NodeScore]:
        """The counterparts with the most shared exchanges with other counterparts."""
        return self.network.scores[:KEY_COUNTERPARTS]

    @property
    def key_by_betweenness(self) -> list[n.NodeScore]:
        """The counterparts that most often lie between others."""
        ranked = sorted(self.network.scores, key=lambda s: (-s.betweenness, s.name))
        return [s for s in ranked if s.betweenness > 0][:KEY_COUNTERPARTS]


def counterpart_network(record: Record) -> tuple[nx.Graph, n.Ties]:
    """Summarise the record's ties between counterparts and build the graph of the kept ones."""
    ties = n.summarize_ties(q.counterpart_edges(record.scope), record.facts)
    return n.build_graph(ties.kept, record.facts, record.scope.home_actor_ids), ties


def counterpart_graph(record: Record) -> nx.Graph:
    """Build the graph of the record's counterparts (home actors left out; strongest ties)."""
    return counterpart_network(record)[0]


def build_report(
    scope: Scope,
    unit: str | None = None,
    dormant_years: int = DORMANT_YEARS,
    rules: c.Rules | None = None,
    betweenness_samples: int = n.BETWEENNESS_SAMPLES,
) -> Report:
    """Compute the report of a scope (see `liaison.analytics.scope.build_scope`)."""
    record = Record(scope)
    facts = record.facts
    # The network's ties are the longest read: when another connection sees the same data,
    # the database pairs them while this thread reads the figures.
    ties = (
        q.in_background(lambda: n.summarize_ties(q.counterpart_edges(scope), facts))
        if q.reads_in_parallel()
        else None
    )
    claim_rows = q.claim_rows(scope)
    record.prepare_days(claim.as_of for claim in claim_rows if claim.as_of)
    figures = record.figures
    spans = k.contact_spans(record.contacts, record.facts)
    in_period = [s for s in spans if s.exchanges]
    if ties is None:
        network = n.measure(*counterpart_network(record), betweenness_samples)
    else:
        summary = ties.result()
        graph = n.build_graph(summary.kept, facts, scope.home_actor_ids)
        network = n.measure(graph, summary, betweenness_samples)
    checks = c.check_claims(claim_rows, rules or c.load_rules(), record.value, scope.date_from)
    return Report(
        scope=scope,
        unit=unit,
        convention=DEVELOPMENT_CONVENTION,
        figures=figures,
        growth=growth(record.cube, record.counterparts_per_year, record.contacts),
        contacts=in_period,
        dormant_years=dormant_years,
        dormant=k.dormant(spans, record.end, dormant_years),
        countries_without_contact=k.countries_without_contact(
            in_contact(record.contacts), record.facts, q.countries(), scope.home
        ),
        network=network,
        claims=checks,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        items = sorted(value) if isinstance(value, (frozenset, set)) else value
        return [_plain(item) for item in items]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, float):
        return round(value, 6)
    return value


def report_data(report: Report) -> dict[str, Any]:
    """Return the report as JSON-ready data."""
    scope = report.scope
    network = report.network
    names = {s.actor_id: s.name for s in network.scores}
    return {
        "period": {"from": _plain(scope.date_from), "to": _plain(scope.date_to)},
        "unit": report.unit,
        "home": scope.home,
        "reviewed_only": scope.reviewed_only,
        "development_convention": report.convention,
        "figures": _plain(report.figures),
        "growth": _plain(report.growth),
        "contacts": _plain(report.contacts),
        "dormant": {"years": report.dormant_years, "counterparts": _plain(report.dormant)},
        "countries_without_contact": _plain(report.countries_without_contact),
        "network": {
            "nodes": network.nodes,
            "edges": network.edges,
            "edges_kept": network.edges_kept,
            "betweenness_sampled": network.betweenness_sampled,
            "betweenness_sources": network.betweenness_sources,
            "key_by_strength": _plain(report.key_by_strength),
            "key_by_betweenness": _plain(report.key_by_betweenness),
            "communities": [
                [{"id": node, "name": names.get(node, "")} for node in group]
                for group in network.communities
            ],
            "region_bridges": _plain(network.region_bridges),
            "bridge_counterparts": [
                {"id": node, "name": names.get(node, ""), "other_regions": count}
                for node, count in network.bridge_counterparts[:KEY_COUNTERPARTS]
            ],
            "scores": _plain(network.scores),
        },
        "claims": [_claim_data(check) for check in report.claims],
    }


def _claim_data(check: c.ClaimCheck) -> dict[str, Any]:
    claim = check.claim
    return {
        "id": claim.id,
        "qualifier": claim.qualifier,
        "value": claim.value,
        "subject": claim.subject,
        "as_of": _plain(claim.as_of),
        "source": claim.source_title or claim.source_url,
        "evidence": claim.evidence,
        "rule": check.rule,
        "metric": check.metric,
        "params": check.params,
        "claimed": check.claimed,
        "agreeing": check.agreeing,
        "record": check.record,
        "verdict": str(check.verdict),
        "reason": check.reason,
        "period": {"from": _plain(check.period[0]), "to": _plain(check.period[1])},
    }
