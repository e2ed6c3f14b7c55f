"""What the components find in a text, by character offsets, before events are assembled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from liaison.domain.dates import PartialDate
from liaison.extract.registry import Actor


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a title line) of the text."""

    start: int
    end: int
    title: bool = False


@dataclass(frozen=True)
class Dateline:
    """The place and date a story was filed from."""

    start: int
    end: int
    city: str | None
    country: str | None
    day: date | None


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved against the reference date."""

    start: int
    end: int
    text: str
    value: PartialDate | None
    rule: str
    # "absolute", "relative", "anaphoric" (the same day, that year) or "range_start".
    kind: str = "absolute"


@dataclass(frozen=True)
class ActorMention:
    """A counterpart named in the text."""

    start: int
    end: int
    text: str
    actor: Actor
    rule: str


@dataclass(frozen=True)
class CountryMention:
    """A country named, or referred to by its adjective."""

    start: int
    end: int
    text: str
    iso3: str
    adjective: bool


@dataclass(frozen=True)
class PlaceMention:
    """A city named in the text."""

    start: int
    end: int
    city: str
    country: str


@dataclass(frozen=True)
class PersonMention:
    """A person with the role and organization an apposition or a title gives."""

    start: int
    end: int
    name: str
    role: str | None
    org: str | None
    state: bool


@dataclass(frozen=True)
class MechanismMention:
    """A named forum, dialogue or summit."""

    start: int
    end: int
    text: str
    name: str
    key: str | None
    bilateral: bool


@dataclass(frozen=True)
class Trigger:
    """A word that reports an exchange."""

    start: int
    end: int
    text: str
    type: str
    pos: str
    mode: str | None
    rule: str


@dataclass(frozen=True)
class ClaimMention:
    """A number about the scale of exchanges."""

    start: int
    end: int
    value: float
    qualifier: str
    subject: str
    sentence_start: int
    sentence_end: int
