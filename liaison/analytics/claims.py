"""Claims against the record: map each published figure to a metric and give a verdict.

The mapping rules and the meaning of qualifiers are data (claim_rules.json, listed in
docs/metrics.md); a different rules file can be passed to `load_rules`.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from liaison.analytics.metrics import METRICS
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.figures_queries import ClaimRow

RULES_FILE = Path(__file__).with_name("claim_rules.json")
WINDOW_WORDS = 6  # words after the subject, in the evidence, that the rules also look at
_WINDOW_STOP = re.compile(r"[\d,;:.()]")


class Verdict(StrEnum):
    """What the record says about a claim."""

    AGREES = "agrees"
    ABOVE = "above the record"
    BELOW = "below the record"
    NOT_COMPARABLE = "not comparable"


@dataclass(frozen=True)
class Qualifier:
    """The record values a qualified figure agrees with, as factors of the claimed value."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False


@dataclass(frozen=True)
class Rule:
    """One mapping rule: conditions on the claim's words, and a metric or a reason."""

    name: str
    noun_any: tuple[str, ...] = ()
    subject_any: tuple[str, ...] = ()
    subject_with: tuple[str, ...] = ()
    evidence_any: tuple[str, ...] = ()
    evidence_none: tuple[str, ...] = ()
    qualifier_any: tuple[str, ...] = ()
    metric: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)
    not_comparable: str = ""


@dataclass(frozen=True)
class Rules:
    """The qualifiers and the ordered rules."""

    qualifiers: dict[str, Qualifier]
    rules: tuple[Rule, ...]
    places: dict[str, dict[str, str]] = field(default_factory=dict)


def load_rules(path: Path = RULES_FILE) -> Rules:
    """Read and check a rules file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        qualifiers = {
            name.casefold(): Qualifier(
                q["low"], q["high"], q.get("low_open", False), q.get("high_open", False)
            )
            for name, q in data["qualifiers"].items()
        }
        rules = tuple(_rule(item) for item in data["rules"])
        places = {word.casefold(): dict(limit) for word, limit in data.get("places", {}).items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise LiaisonError(ErrorCode.CONFIG, f"cannot read claim rules {path}: {error}") from error
    for rule in rules:
        if bool(rule.metric) == bool(rule.not_comparable):
            raise LiaisonError(
                ErrorCode.CONFIG, f"rule {rule.name!r} needs a metric or a not_comparable reason"
            )
        if rule.metric and not (rule.metric in METRICS and METRICS[rule.metric].claimable):
            raise LiaisonError(
                ErrorCode.CONFIG,
                f"rule {rule.name!r} names {rule.metric!r}, not a claimable metric",
            )
    return Rules(qualifiers, rules, places)


def _rule(item: dict[str, Any]) -> Rule:
    return Rule(
        name=item["name"],
        noun_any=tuple(item.get("noun_any", ())),
        subject_any=tuple(item.get("subject_any", ())),
        subject_with=tuple(item.get("subject_with", ())),
        evidence_any=tuple(item.get("evidence_any", ())),
        evidence_none=tuple(item.get("evidence_none", ())),
        qualifier_any=tuple(q.casefold() for q in item.get("qualifier_any", ())),
        metric=item.get("metric", ""),
        params=dict(item.get("params", {})),
        scales={k: float(v) for k, v in item.get("scales", {}).items()},
        not_comparable=item.get("not_comparable", ""),
    )


def _has(text: str, phrases: Iterable[str]) -> str | None:
    for phrase in phrases:
        if re.search(r"(?<![a-z])" + re.escape(phrase.casefold()), text):
            return phrase
    return None


def _number_forms(value: float) -> list[str]:
    whole = int(value)
    return [f"{whole:,}", str(whole)] if whole == value else [f"{value:g}"]


def claim_phrase(claim: ClaimRow) -> str:
    """Return the claim's subject and the few words after it in the evidence, folded."""
    subject = claim.subject.casefold()
    evidence = claim.evidence.casefold()
    starts = [m.start() for m in re.finditer(re.escape(subject), evidence)] if subject else []
    if not starts:
        return subject
    # Of several mentions of the subject, take the one just after the claimed number.
    start = starts[0]
    for form in _number_forms(claim.value):
        at = evidence.find(form)
        after = [s for s in starts if at >= 0 and s > at]
        if after:
            start = after[0]
            break
    tail = evidence[start + len(subject) :]
    stop = _WINDOW_STOP.search(tail)
    words = (tail[: stop.start()] if stop else tail).split()[:WINDOW_WORDS]
    return " ".join([subject, *words])


def match_rule(claim: ClaimRow, rules: Rules) -> Rule | None:
    """Return the first rule whose conditions hold for a claim."""
    phrase = claim_phrase(claim)
    evidence = claim.evidence.casefold()
    noun = claim.subject.casefold()
    for rule in rules.rules:
        if rule.noun_any and not _has(noun, rule.noun_any):
            continue
        if rule.subject_any and not _has(phrase, rule.subject_any):
            continue
        if rule.subject_with and not _has(phrase, rule.subject_with):
            continue
        if rule.evidence_any and not _has(evidence, rule.evidence_any):
            continue
        if rule.evidence_none and _has(evidence, rule.evidence_none):
            continue
        if rule.qualifier_any and claim.qualifier.casefold() not in rule.qualifier_any:
            continue
        return rule
    return None


PLACED_METRICS = ("counterparts", "countries_reached")


def metric_params(claim: ClaimRow, rule: Rule, rules: Rules) -> dict[str, Any]:
    """Return the rule's params, limited to a region or group the claim's subject names."""
    params = dict(rule.params)
    place = (
        _has(claim.subject.casefold() + " ", rules.places)
        if rule.metric in PLACED_METRICS
        else None
    )
    if place:
        params.update(rules.places[place])
    return params


def claimed_value(claim: ClaimRow, rule: Rule) -> float:
    """Return the claimed value in the metric's unit (three quarters -> 75 percent)."""
    scale = _has(claim_phrase(claim), rule.scales)
    return claim.value * rule.scales[scale] if scale else claim.value


@dataclass(frozen=True)
class Bounds:
    """The record values that agree with a claim."""

    low: float | None
    high: float | None
    low_open: bool
    high_open: bool

    def describe(self) -> str:
        """Write the range as a condition on the record value."""
        parts = []
        if self.low is not None:
            parts.append(f"{'>' if self.low_open else '≥'} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'<' if self.high_open else '≤'} {self.high:g}")
        if self.low is not None and self.low == self.high:
            return f"= {self.low:g}"
        return " and ".join(parts) or "any value"


def bounds(value: float, qualifier: Qualifier) -> Bounds:
    """Return the range of record values that agree with a qualified value."""
    low = None if qualifier.low is None else value * qualifier.low
    high = None if qualifier.high is None else value * qualifier.high
    return Bounds(low, high, qualifier.low_open, qualifier.high_open)


def judge(record: float, agreeing: Bounds) -> Verdict:
    """Compare a record value with the range a claim allows."""
    if agreeing.low is not None and (
        record < agreeing.low or (agreeing.low_open and record == agreeing.low)
    ):
        return Verdict.ABOVE
    if agreeing.high is not None and (
        record > agreeing.high or (agreeing.high_open and record == agreeing.high)
    ):
        return Verdict.BELOW
    return Verdict.AGREES


@dataclass(frozen=True)
class ClaimCheck:
    """A claim, the metric it was mapped to, the record's value and the verdict with its reason."""

    claim: ClaimRow
    rule: str
    metric: str
    params: dict[str, Any]
    claimed: float
    agreeing: str
    record: float | None
    verdict: Verdict
    reason: str
    period: tuple[datetime.date | None, datetime.date | None]


# (metric, params, last day) -> the record's value, or None when the record is empty then.
Evaluate = Callable[[str, dict[str, Any], datetime.date], float | None]


def check_claim(
    claim: ClaimRow, rules: Rules, evaluate: Evaluate, date_from: datetime.date | None
) -> ClaimCheck:
    """Map a claim to a metric, compute the record for its period and give the verdict."""
    rule = match_rule(claim, rules)
    period = (date_from, claim.as_of)

    def unmatched(reason: str, name: str = "", metric: str = "") -> ClaimCheck:
        return ClaimCheck(
            claim, name, metric, {}, claim.value, "", None, Verdict.NOT_COMPARABLE, reason, period
        )

    if rule is None:
        return unmatched(f"no rule maps {claim.subject!r} to a metric (add one to the claim rules)")
    if rule.not_comparable:
        return unmatched(rule.not_comparable, rule.name)
    qualifier = rules.qualifiers.get(claim.qualifier.casefold())
    if qualifier is None:
        return unmatched(f"the qualifier {claim.qualifier!r} is not in the rules", rule.name)
    if claim.as_of is None:
        return unmatched("the claim has no date, so the period it speaks of is unknown", rule.name)
    value = claimed_value(claim, rule)
    agreeing = bounds(value, qualifier)
    params = metric_params(claim, rule, rules)
    record = evaluate(rule.metric, params, claim.as_of)
    if record is None:
        return ClaimCheck(
            claim,
            rule.name,
            rule.metric,
            params,
            value,
            agreeing.describe(),
            None,
            Verdict.NOT_COMPARABLE,
            "the record holds no exchange in the claim's period",
            period,
        )
    verdict = judge(record, agreeing)
    reason = f"the record has {record:g}; the claim needs {agreeing.describe()}"
    return ClaimCheck(
        claim,
        rule.name,
        rule.metric,
        params,
        value,
        agreeing.describe(),
        record,
        verdict,
        reason,
        period,
    )


def check_claims(
    claims: Iterable[ClaimRow],
    rules: Rules,
    evaluate: Evaluate,
    date_from: datetime.date | None = None,
) -> list[ClaimCheck]:
    """Check every claim; the record of each runs from `date_from` to the claim's date."""
    return [check_claim(claim, rules, evaluate, date_from) for claim in claims]
