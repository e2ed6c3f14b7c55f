"""No input makes extraction raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.extract.inputs import read_bytes
from liaison.extract.run import extract_text

WORDS = st.sampled_from(
    [
        "met",
        "visited",
        "forum",
        "on Tuesday",
        "in May",
        "more than",
        "600",
        "parties",
        "CPC",
        "the",
        "Party",
        "of",
        "Zambia",
        ",",
        ".",
        "\n",
        "BEIJING, May 3 (Xinhua) --",
        "did not",
        "will",
        "Summit",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_extract_text_never_raises_on_any_text(text: str) -> None:
    result = extract_text(text, "fuzz")
    for event in result.events:
        assert text[event.evidence.start : event.evidence.end] == event.evidence.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_extract_text_never_raises_on_press_like_text(text: str) -> None:
    extract_text(text, "fuzz")


@settings(max_examples=60, deadline=None)
@given(st.binary(), st.sampled_from(["text", "html", "json", "jsonl", "sniff"]))
def test_read_bytes_never_raises(data: bytes, kind: str) -> None:
    for item in read_bytes(data, "fuzz", kind):
        if getattr(item, "text", None) is not None:
            extract_text(item.text or "", item.doc)
