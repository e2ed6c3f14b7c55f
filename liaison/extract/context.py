"""Index a doc's mentions by sentence, so event assembly reads one sentence at a time."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, TypeVar

from spacy.tokens import Doc

from liaison.extract.extensions import text_of
from liaison.extract.mentions import (
    ActorMention,
    CountryMention,
    DateMention,
    MechanismMention,
    PersonMention,
    PlaceMention,
    Sentence,
    Trigger,
)

T = TypeVar("T")


@dataclass
class SentenceView:
    """One sentence with the mentions that start inside it."""

    index: int
    sentence: Sentence
    body: str
    actors: list[ActorMention] = field(default_factory=list)
    countries: list[CountryMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    mechanisms: list[MechanismMention] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)

    @property
    def start(self) -> int:
        """Where the sentence starts in the doc."""
        return self.sentence.start


def _group(items: list[Any], starts: list[int], views: list[SentenceView], attribute: str) -> None:
    for item in items:
        index = bisect_right(starts, item.start) - 1
        if index >= 0 and item.start < views[index].sentence.end:
            getattr(views[index], attribute).append(item)


def sentence_views(doc: Doc) -> list[SentenceView]:
    """Return every sentence of a doc with its mentions."""
    sentences: list[Sentence] = doc._.lx_sentences or []
    text = text_of(doc)
    views = [SentenceView(i, s, text[s.start : s.end]) for i, s in enumerate(sentences)]
    starts = [s.start for s in sentences]
    for attribute, items in (
        ("actors", doc._.lx_actors),
        ("countries", doc._.lx_countries),
        ("places", doc._.lx_places),
        ("people", doc._.lx_people),
        ("mechanisms", doc._.lx_mechanisms),
        ("triggers", doc._.lx_triggers),
        ("dates", doc._.lx_dates),
    ):
        _group(list(items or []), starts, views, attribute)
    return views
