"""Find named forums, dialogues and summits: the registry's mechanisms and unknown ones by shape."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import MechanismMention
from liaison.extract.registry import load_registry

_CAP = r"(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th))"
# "... the UN General Assembly on Thursday": a day or month ends the name.
_NOT_DAY = (
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March"
    r"|April|May|June|July|August|September|October|November|December)\b)"
)
_HEAD = (
    r"(?:General Assembly|Forum|Dialogue|Summit|Seminar|Symposium|Conference|Meeting|Mechanism"
    r"|Debate|Workshop|Roundtable)"
)
# The leading lookaheads name the characters a match can start with: the engine skips the rest.
_SHAPE = re.compile(
    rf"(?=[A-Z0-9])\b(?:{_CAP}[ ,]+(?:and |of |for |the |on |in |with )*){{1,9}}{_HEAD}\b"
    rf"(?:\s+(?:on|for|of|between|in)\s+(?:the\s+)?{_NOT_DAY}{_CAP}"
    rf"(?:[ ,]+(?:and |of |for |the |on |with |in )*{_CAP})*)?"
    r"(?:\s+(?:19|20)\d\d\b)?"
)
_HEAD_WORDS = (
    "General Assembly",
    "Forum",
    "Dialogue",
    "Summit",
    "Seminar",
    "Symposium",
    "Conference",
    "Meeting",
    "Mechanism",
    "Debate",
    "Workshop",
    "Roundtable",
)
_MEETING_WORDS = ("meeting", "session", "summit")
_MEETING_OF = re.compile(
    rf"(?=[0-9ms])\b(?:\d+(?:st|nd|rd|th)\s+)?(?:meeting|session|summit)\s+of\s+the\s+(?P<name>{_CAP}(?:\s+(?:of\s+(?:the\s+)?|and\s+)?{_CAP})*)"
)
_NOT_MECHANISMS = re.compile(
    r"\b(?:Press|News) Conference\b|\bNational Congress\b|Consultative Conference|"
    r"Central Committee|Plenary|"
    r"Politburo|Political Bureau|Standing Committee|National Assembly",
    re.I,
)


class MechanismFinder:
    """Mark the mechanisms a text names."""

    def __init__(self, nlp: Language) -> None:
        self.registry = load_registry()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for surface, key in self.registry.mechanism_names.items():
            self.matcher.add(key, [nlp.make_doc(surface)])

    def __call__(self, doc: Doc) -> Doc:
        registry = self.registry
        text = text_of(doc)
        spans = [Span(doc, s, e, label=k) for k, s, e in self.matcher(doc)]
        mentions: list[MechanismMention] = []
        for span in filter_spans(spans):
            mechanism = registry.mechanisms[span.label_]
            start, end = span.start_char, span.end_char
            # Keep an edition year written after the name ("Annual Conference 2022").
            year = re.match(r"\s+((?:19|20)\d\d)\b", text[end : end + 6])
            if year:
                end += year.end()
            mentions.append(
                MechanismMention(
                    start, end, text[start:end], mechanism.name, mechanism.key, mechanism.bilateral
                )
            )
        taken = [(m.start, m.end) for m in mentions]
        for pattern, needed in ((_SHAPE, _HEAD_WORDS), (_MEETING_OF, _MEETING_WORDS)):
            if not any(word in text for word in needed):
                continue  # every match holds one of these words: skip the scan
            for match in pattern.finditer(text):
                start, end = match.span("name") if "name" in pattern.groupindex else match.span()
                phrase = text[start:end]
                words = phrase.split()
                while words and words[0] in (
                    "The",
                    "the",
                    "At",
                    "In",
                    "During",
                    "On",
                    "And",
                    "and",
                ):
                    words.pop(0)
                phrase = " ".join(words)
                start = end - len(phrase)
                if len(words) < 2 or _NOT_MECHANISMS.search(phrase):
                    continue
                clash = [s for s, e in taken if start < e and s < end]
                if clash and start < min(clash):
                    # Cut a name that runs into a known one ("... Assembly and the Boao Forum").
                    cut = text.rfind(" and ", start, min(clash))
                    if cut > start:
                        end, phrase = cut, text[start:cut]
                        words = phrase.split()
                        clash = [s for s, e in taken if start < e and s < end]
                if clash or len(words) < 2:
                    continue
                name = re.sub(r"^\d+(?:st|nd|rd|th)\s+", "", phrase)
                name = re.sub(r"\s+(?:19|20)\d\d$", "", name)
                taken.append((start, end))
                mentions.append(
                    MechanismMention(start, end, phrase, name, None, self._bilateral(name))
                )
        mentions.sort(key=lambda m: m.start)
        doc._.lx_mechanisms = mentions
        return doc

    def _bilateral(self, name: str) -> bool:
        """Tell a two-sided mechanism ("China-Australia Annual Leaders' Meeting") from a forum."""
        if " between " in name:
            return True
        pair = re.match(r"([A-Z][\w'’]+)-([A-Z][\w'’]+)\s", name)
        names = self.registry.country_names
        return bool(pair and pair[1] in names and pair[2] in names and "Parties" not in name)


@Language.factory(
    "liaison_mechanisms_v1",
    requires=["doc._.lx_sentences"],
    assigns=["doc._.lx_mechanisms"],
)
def make_mechanisms(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the mechanism finder."""
    ensure_extensions()
    return MechanismFinder(nlp)
