"""The golden press texts: every file's events and claims, and the totals."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from liaison.extract.run import extract_text
from tests.extract.matching import claim_score, event_score, f1, match

GOLDEN = sorted((Path(__file__).parents[1] / "golden").glob("*.json"))
NO_EVENT_TEXTS = [p for p in GOLDEN if not json.loads(p.read_text(encoding="utf-8"))["events"]]


@cache
def _run(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    golden = json.loads(path.read_text(encoding="utf-8"))
    result = extract_text(golden["text"], golden["id"], date.fromisoformat(golden["published"]))
    return golden, [e.to_json() for e in result.events], [c.to_json() for c in result.claims]


def test_golden_files_exist() -> None:
    assert len(GOLDEN) >= 40


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_file_events_and_claims_match(path: Path) -> None:
    golden, events, claims = _run(path)
    for record in events + claims:
        span = record["evidence"]
        assert golden["text"][span["start"] : span["end"]] == span["text"]
    event_pairs = match(golden["events"], events, event_score)
    claim_pairs = match(golden["claims"], claims, claim_score)
    # Per file: at most one miss or one extra of each kind.
    assert len(golden["events"]) - len(event_pairs) <= 1
    assert len(events) - len(event_pairs) <= 1
    assert len(golden["claims"]) - len(claim_pairs) <= 1
    assert len(claims) - len(claim_pairs) <= 1


@pytest.mark.parametrize("path", NO_EVENT_TEXTS, ids=[p.stem for p in NO_EVENT_TEXTS])
def test_golden_trap_text_has_no_events(path: Path) -> None:
    _, events, _ = _run(path)
    assert events == []


def test_golden_totals_meet_thresholds() -> None:
    tp_e = n_pred_e = n_gold_e = tp_c = n_pred_c = n_gold_c = 0
    for path in GOLDEN:
        golden, events, claims = _run(path)
        tp_e += len(match(golden["events"], events, event_score))
        tp_c += len(match(golden["claims"], claims, claim_score))
        n_pred_e, n_gold_e = n_pred_e + len(events), n_gold_e + len(golden["events"])
        n_pred_c, n_gold_c = n_pred_c + len(claims), n_gold_c + len(golden["claims"])
    assert f1(tp_e, n_pred_e, n_gold_e)[2] >= 0.9
    assert f1(tp_c, n_pred_c, n_gold_c)[2] >= 0.9
