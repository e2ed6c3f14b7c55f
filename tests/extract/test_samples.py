"""The sample press texts (liaison/samples/press) as a second scored set, against regressions."""

from __future__ import annotations

import pytest

from liaison.extract.bylines import published_from_text
from liaison.extract.inputs import html_to_text
from liaison.extract.run import extract_paths
from tests.extract.samples import SAMPLES, expected, score

# A little below what the extractor measures (see docs/extraction.md), so a regression fails.
MIN_EVENT_F1 = 0.83
MIN_CLAIM_F1 = 0.90
# Texts whose head states the year of publication; the others carry "BEIJING, Sept. 19" only.
MIN_DATED_TEXTS = 37


def _text(name: str) -> str:
    raw = (SAMPLES / name).read_text(encoding="utf-8")
    return html_to_text(raw)[0] if name.endswith(".html") else raw


def test_sample_scores_meet_thresholds() -> None:
    figures = score()
    assert figures.events()[2] >= MIN_EVENT_F1, figures.report()
    assert figures.claims()[2] >= MIN_CLAIM_F1, figures.report()


def test_publication_dates_read_from_sample_texts_are_right() -> None:
    found = 0
    for name, gold in expected().items():
        if name.startswith("feed.jsonl#"):
            continue
        value = published_from_text(_text(name))
        if value is not None:
            assert value.isoformat() == gold["published"], name
            found += 1
    assert found >= MIN_DATED_TEXTS


@pytest.mark.parametrize("name", ["story_006.txt", "story_030.txt"])
def test_yearless_sample_texts_keep_undated_events(name: str) -> None:
    events = [r for r in extract_paths([str(SAMPLES / name)]) if r["record"] == "event"]
    assert events and all(e["date"] is None for e in events)
