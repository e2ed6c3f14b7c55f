"""Find the words that report an exchange, with spaCy's Matcher over patterns kept as data."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from liaison.extract.extensions import ensure_extensions
from liaison.extract.mentions import Trigger
from liaison.extract.registry import pattern_json


class TriggerFinder:
    """Mark every trigger span with its exchange type, part of speech and mode."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.info: dict[str, dict[str, str | None]] = {}
        for entry in pattern_json("triggers.json")["triggers"]:
            self.matcher.add(entry["id"], entry["patterns"])
            self.info[entry["id"]] = {
                "type": entry["type"],
                "pos": entry["pos"],
                "mode": entry.get("mode"),
            }

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)
        ]
        triggers = []
        for span in filter_spans(spans):
            info = self.info[span.label_]
            triggers.append(
                Trigger(
                    span.start_char,
                    span.end_char,
                    span.text,
                    str(info["type"]),
                    str(info["pos"]),
                    info["mode"],
                    span.label_,
                )
            )
        doc._.lx_triggers = triggers
        return doc


@Language.factory(
    "liaison_triggers_v1",
    requires=["doc._.lx_sentences"],
    assigns=["doc._.lx_triggers"],
)
def make_triggers(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the trigger finder."""
    ensure_extensions()
    return TriggerFinder(nlp)
