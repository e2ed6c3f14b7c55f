"""Trigger words and their exchange types."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The minister met with the visitors.", "meeting"),
        ("The two leaders held talks in Hanoi.", "meeting"),
        ("She paid an official visit to Peru.", "visit"),
        ("He sent a congratulatory message to the party.", "correspondence"),
        ("They signed a memorandum of understanding.", "agreement"),
        ("The embassy handed over rice to the ministry.", "assistance"),
        ("The presidents spoke over the phone.", "call"),
        ("A seminar on rural reform opened.", "conference"),
    ],
)
def test_triggers_type_the_exchange(run: Callable[..., Doc], text: str, kind: str) -> None:
    assert kind in {t.type for t in run(text)._.lx_triggers}


def test_trigger_patterns_find_what_spacys_matcher_finds() -> None:
    import spacy
    from spacy.matcher import Matcher
    from spacy.tokens import Span
    from spacy.util import filter_spans

    from liaison.extract.registry import pattern_json
    from liaison.extract.triggers import TokenPatterns, longest_first

    nlp = spacy.blank("en")
    reference, ours = Matcher(nlp.vocab), TokenPatterns(nlp.vocab.strings)
    for entry in pattern_json("triggers.json")["triggers"]:
        reference.add(entry["id"], entry["patterns"])
        ours.add(entry["id"], entry["patterns"])
    doc = nlp.make_doc(
        "Xi paid a state visit to Peru and was on an official goodwill visit to Chile. The "
        "minister received Comrade Li, held separate talks, sent a congratulatory message and "
        "delivered 20 tons of rice to Malawi. They paid a courtesy call; he phoned Lula by the "
        "telephone. The two parties signed an MoU and re-established diplomatic relations."
    )
    expected = [
        (s.label_, s.start, s.end)
        for s in filter_spans([Span(doc, a, b, label=k) for k, a, b in reference(doc)])
    ]
    found = ours(doc)
    assert sorted(found) == sorted((nlp.vocab.strings[k], a, b) for k, a, b in reference(doc))
    assert longest_first(found) == expected


def test_trigger_patterns_reject_unknown_keys() -> None:
    import spacy

    from liaison.extract.triggers import TokenPatterns

    with pytest.raises(ValueError, match="unsupported"):
        TokenPatterns(spacy.blank("en").vocab.strings).add("x", [[{"POS": "VERB"}]])
