"""What extraction finds in a text: events and claims in the shape of the event contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from liaison.domain.enums import ActorKind, Channel, ExchangeType


@dataclass(frozen=True)
class Span:
    """A stretch of an input text, by character offsets, with the text it covers."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        """Render in the event contract."""
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ParticipantMention:
    """An actor taking part in an event, as the text names it."""

    name: str
    kind: ActorKind
    country: str | None = None
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Render in the event contract."""
        return {
            "name": self.name,
            "kind": str(self.kind),
            "country": self.country,
            "role": self.role,
        }


@dataclass(frozen=True)
class PersonMention:
    """A person present at an event, with their role and organization as the text gives them."""

    name: str
    role: str | None = None
    org: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Render in the event contract."""
        return {"name": self.name, "role": self.role, "org": self.org}


@dataclass(frozen=True)
class Place:
    """Where an event happened, only as far as the text says."""

    city: str | None = None
    country: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Render in the event contract."""
        return {"city": self.city, "country": self.country}


@dataclass(frozen=True)
class ExtractedEvent:
    """One concrete exchange that a text reports, with the span that proves it."""

    doc: str
    type: ExchangeType
    mode: Channel
    date: str | None
    evidence: Span
    participants: tuple[ParticipantMention, ...] = ()
    people: tuple[PersonMention, ...] = ()
    location: Place = field(default_factory=Place)
    mechanism: str | None = None
    topics: tuple[str, ...] = ()
    confidence: float = 0.5

    def to_json(self) -> dict[str, Any]:
        """Render as one line of the event contract."""
        return {
            "record": "event",
            "doc": self.doc,
            "type": str(self.type),
            "mode": str(self.mode),
            "date": self.date,
            "participants": [p.to_json() for p in self.participants],
            "people": [p.to_json() for p in self.people],
            "location": self.location.to_json(),
            "mechanism": self.mechanism,
            "topics": list(self.topics),
            "evidence": self.evidence.to_json(),
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class ExtractedClaim:
    """A numeric statement about the scale of exchanges ("more than 600 political parties")."""

    doc: str
    value: float
    qualifier: str
    subject: str
    evidence: Span

    def to_json(self) -> dict[str, Any]:
        """Render as one line of the event contract."""
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {
            "record": "claim",
            "doc": self.doc,
            "value": value,
            "qualifier": self.qualifier,
            "subject": self.subject,
            "evidence": self.evidence.to_json(),
        }
