"""Score the extractor on the sample press texts against samples_expected.json.

Run as a script for the figures and the misses:
python -m tests.extract.samples [--misses] [--no-published]
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from liaison.extract.run import extract_paths
from tests.extract.matching import f1

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "liaison" / "samples" / "press"
EXPECTED = Path(__file__).with_name("samples_expected.json")


@dataclass
class Score:
    """Counts over the sample texts, and what was missed or extra."""

    events_tp: int = 0
    events_predicted: int = 0
    events_expected: int = 0
    date_exact: int = 0
    country: int = 0
    mode: int = 0
    claims_tp: int = 0
    claims_predicted: int = 0
    claims_expected: int = 0
    misses: list[str] = field(default_factory=list)

    def events(self) -> tuple[float, float, float]:
        """Return event precision, recall and F1."""
        return f1(self.events_tp, self.events_predicted, self.events_expected)

    def claims(self) -> tuple[float, float, float]:
        """Return claim precision, recall and F1."""
        return f1(self.claims_tp, self.claims_predicted, self.claims_expected)

    def report(self) -> str:
        """Return the figures on one line each."""
        ep, er, ef = self.events()
        cp, cr, cf = self.claims()
        tp = max(self.events_tp, 1)
        return (
            f"samples events P={ep:.3f} R={er:.3f} F1={ef:.3f} (matched {self.events_tp}, "
            f"predicted {self.events_predicted}, expected {self.events_expected}); on matched: "
            f"date={self.date_exact / tp:.3f} country={self.country / tp:.3f} "
            f"mode={self.mode / tp:.3f}\n"
            f"samples claims P={cp:.3f} R={cr:.3f} F1={cf:.3f} (matched {self.claims_tp}, "
            f"predicted {self.claims_predicted}, expected {self.claims_expected})"
        )


def expected() -> dict[str, Any]:
    """Return the expected events and claims per file name (feed records as feed.jsonl#id)."""
    files: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))["files"]
    return files


def _dates(gold: dict[str, Any]) -> list[str]:
    return list(gold.get("dates") or [gold["date"]])


def _date_fits(gold: dict[str, Any], got: str | None) -> bool:
    """A date fits when it is one of the event's days or a coarser prefix of one; none fits too.

    As in the team's scorer, a missing date does not stop a match; it counts in the date figure.
    """
    return got is None or any(day.startswith(got) for day in _dates(gold))


def _event_pair(gold: dict[str, Any], got: dict[str, Any]) -> float | None:
    types = set(gold["types"])
    if got["type"] not in types and not ({got["type"]} | types) <= {"meeting", "visit"}:
        return None
    if not _date_fits(gold, got.get("date")):
        return None
    countries = gold.get("countries") or [gold["country"]]
    return (
        2.0 * (got.get("date") in _dates(gold))
        + (got["type"] == gold["types"][0])
        + ((got.get("location") or {}).get("country") in countries)
    )


def _claim_pair(gold: dict[str, Any], got: dict[str, Any]) -> float | None:
    if float(gold["value"]) != float(got["value"]):
        return None
    return 1.0 + (gold["qualifier"] == got["qualifier"])


def _pairs(gold: list[dict[str, Any]], got: list[dict[str, Any]], scorer: Any) -> list[Any]:
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(got):
            s = scorer(g, p)
            if s is not None:
                candidates.append((s, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


@cache
def records(fallback: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Extract every sample text; with `fallback`, undated texts take the manifest's date."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, gold in expected().items():
        if name.startswith("feed.jsonl#"):
            continue
        when = date.fromisoformat(gold["published"]) if fallback else None
        out[name] = list(extract_paths([str(SAMPLES / name)], when))
    for record in extract_paths([str(SAMPLES / "feed.jsonl")]):
        out.setdefault(f"feed.jsonl#{record['doc']}", []).append(record)
    return out


def score(fallback: bool = True) -> Score:
    """Score every sample text."""
    result = Score()
    got_all = records(fallback)
    for name, gold in expected().items():
        got = got_all.get(name, [])
        events = [r for r in got if r["record"] == "event"]
        claims = [r for r in got if r["record"] == "claim"]
        pairs = _pairs(gold["events"], events, _event_pair)
        result.events_tp += len(pairs)
        result.events_predicted += len(events)
        result.events_expected += len(gold["events"])
        for i, j in pairs:
            g, p = gold["events"][i], events[j]
            result.date_exact += p.get("date") in _dates(g)
            countries = g.get("countries") or [g["country"]]
            result.country += (p.get("location") or {}).get("country") in countries
            result.mode += p.get("mode") == g["mode"]
            if p.get("date") not in _dates(g) or p["location"]["country"] not in countries:
                result.misses.append(
                    f"{name}: partial {g['what']!r} got {p['type']} {p.get('date')} "
                    f"{p['location']['country']}"
                )
        for i, g in enumerate(gold["events"]):
            if i not in {a for a, _ in pairs}:
                result.misses.append(f"{name}: missed {'/'.join(g['types'])} {g['what']!r}")
        for j, p in enumerate(events):
            if j not in {b for _, b in pairs}:
                text = " ".join(p["evidence"]["text"].split())[:110]
                result.misses.append(
                    f"{name}: extra {p['type']} {p.get('date')} {p['location']['country']} {text!r}"
                )
        claim_pairs = _pairs(gold["claims"], claims, _claim_pair)
        result.claims_tp += len(claim_pairs)
        result.claims_predicted += len(claims)
        result.claims_expected += len(gold["claims"])
        for i, g in enumerate(gold["claims"]):
            if i not in {a for a, _ in claim_pairs}:
                result.misses.append(f"{name}: missed claim {g['value']} {g['subject']}")
        for j, p in enumerate(claims):
            if j not in {b for _, b in claim_pairs}:
                result.misses.append(f"{name}: extra claim {p['value']} {p['subject']}")
    return result


if __name__ == "__main__":
    figures = score(fallback="--no-published" not in sys.argv)
    print(figures.report())  # noqa: T201
    if "--misses" in sys.argv:
        print("\n".join(figures.misses))  # noqa: T201
