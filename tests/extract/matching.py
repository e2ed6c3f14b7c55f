"""Match extracted events and claims to expected ones, the way the team's scorer does."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from rapidfuzz import fuzz

QUALIFIER_CLASS = {
    "more than": "above",
    "over": "above",
    "above": "above",
    "at least": "above",
    "nearly": "below",
    "almost": "below",
    "close to": "below",
    "under": "below",
    "less than": "below",
    "about": "approx",
    "around": "approx",
    "some": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "exactly": "exact",
    "": "exact",
}


def norm(name: str | None) -> str:
    """Normalise a name for comparison."""
    name = (name or "").lower()
    name = re.sub(r"[’'`]s\b", "", name)
    name = re.sub(r"[^\w\s]", " ", name)
    name = re.sub(r"\b(the|of|and|for)\b", " ", name)
    return " ".join(name.split())


def similar(a: str, b: str) -> float:
    """Return the token-set similarity of two strings, 0..1."""
    return float(fuzz.token_set_ratio(a, b)) / 100.0


def _overlap(expected: dict[str, Any], got: dict[str, Any]) -> float:
    a = " ".join(str(expected["evidence"]["text"]).split())
    b = " ".join(str(got["evidence"]["text"]).split())
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size / max(1, min(len(a), len(b)))


def _dates_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _participant(g: dict[str, Any], p: dict[str, Any]) -> bool:
    if similar(norm(g.get("name")), norm(p.get("name"))) >= 0.8:
        return True
    return (
        bool(g.get("country"))
        and g.get("country") == p.get("country")
        and g.get("kind") == p.get("kind")
    )


def event_score(g: dict[str, Any], p: dict[str, Any]) -> float | None:
    """Score a pair of events, or None when they cannot be the same occurrence."""
    if g["type"] != p["type"] and {g["type"], p["type"]} != {"meeting", "visit"}:
        return None
    if not _dates_compatible(g.get("date"), p.get("date")):
        return None
    gold = g.get("participants") or []
    matched = sum(
        1 for gp in gold if any(_participant(gp, pp) for pp in p.get("participants") or [])
    )
    overlap = _overlap(g, p)
    if matched < min(2, len(gold)) and overlap < 0.5:
        return None
    return matched / max(len(gold), 1) + overlap + (0.5 if g["type"] == p["type"] else 0)


def claim_score(g: dict[str, Any], p: dict[str, Any]) -> float | None:
    """Score a pair of claims, or None when the values differ."""
    if float(g["value"]) != float(p["value"]):
        return None
    same = QUALIFIER_CLASS.get(g["qualifier"], "other") == QUALIFIER_CLASS.get(
        p["qualifier"], "other"
    )
    return 1.0 + float(same) + similar(norm(g["subject"]), norm(p["subject"]))


def match(
    expected: list[dict[str, Any]], got: list[dict[str, Any]], score: Any
) -> list[tuple[int, int]]:
    """Pair expected and extracted records one to one, best first."""
    candidates = []
    for i, g in enumerate(expected):
        for j, p in enumerate(got):
            s = score(g, p)
            if s is not None:
                candidates.append((s, i, j))
    candidates.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def f1(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Return precision, recall and F1."""
    p = tp / predicted if predicted else 1.0
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
