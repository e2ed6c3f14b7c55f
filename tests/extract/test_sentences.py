"""Sentence splitting."""

from __future__ import annotations

from liaison.extract.sentences import split_sentences


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_split_sentences_splits_on_full_stops() -> None:
    assert _texts("The envoys met. They talked of trade.") == [
        "The envoys met.",
        "They talked of trade.",
    ]


def test_split_sentences_keeps_abbreviations_inside() -> None:
    assert _texts("On Sept. 3 the Rt. Hon. member spoke. Then he left.") == [
        "On Sept. 3 the Rt. Hon. member spoke.",
        "Then he left.",
    ]


def test_split_sentences_marks_title_lines() -> None:
    sentences = split_sentences("Party leaders gather in Lusaka\n\nThe meeting opened on Friday.")
    assert [s.title for s in sentences] == [True, False]


def test_split_sentences_cuts_the_dateline_off() -> None:
    text = "NAIROBI, March 3 (Agency) -- The talks opened today."
    assert _texts(text) == ["NAIROBI, March 3 (Agency) --", "The talks opened today."]
    assert split_sentences(text)[0].title
