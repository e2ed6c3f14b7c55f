"""Numeric claims about the scale of exchanges."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc


def _claims(doc: Doc) -> list[tuple[float, str]]:
    return [(c.value, c.qualifier) for c in doc._.lx_claims]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The party keeps ties with more than 450 political parties.", [(450.0, "more than")]),
        ("Nearly 90 delegations came.", [(90.0, "nearly")]),
        ("Some 2,300 guests took part.", [(2300.0, "some")]),
        ("They exchanged 12 letters.", [(12.0, "exactly")]),
        ("Envoys from eleven countries spoke.", [(11.0, "exactly")]),
        ("About 35 percent of the parties were in government.", [(35.0, "about")]),
        ("It delivered 1.5 million doses of vaccine.", [(1500000.0, "exactly")]),
    ],
)
def test_claims_read_value_and_qualifier(
    run: Callable[..., Doc], text: str, expected: list[tuple[float, str]]
) -> None:
    assert _claims(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The ties go back 60 years.",
        "It was the 19th congress of the party.",
        "The forum was held in 2019.",
        "The two parties agreed to meet.",
        "It will invite 300 young leaders next year.",
        "The visit lasted from May 3 to 7.",
        "Over 60% of global trade growth came from the region.",
    ],
)
def test_claims_skip_numbers_that_are_not_claims(run: Callable[..., Doc], text: str) -> None:
    assert _claims(run(text)) == []


def test_claims_repeated_in_one_text_are_kept_once(run: Callable[..., Doc]) -> None:
    text = (
        "The party keeps contact with more than 450 political parties. "
        "As noted, it keeps contact with more than 450 political parties."
    )
    assert len(run(text)._.lx_claims) == 1
