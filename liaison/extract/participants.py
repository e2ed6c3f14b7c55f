"""Work out who took part in an event, where it happened and how it was held."""

from __future__ import annotations

import re
from dataclasses import dataclass

from liaison.domain.enums import ActorKind
from liaison.extract.context import SentenceView
from liaison.extract.mentions import ActorMention, Dateline, PersonMention
from liaison.extract.registry import Actor, Registry, country_name, pattern_json

_FIRST_SIDE = {
    "meeting": "host",
    "visit": "guest",
    "conference": "organizer",
    "briefing": "organizer",
    "correspondence": "sender",
    "agreement": "signatory",
    "assistance": "sender",
    "call": "participant",
}
_SECOND_SIDE = {
    "meeting": "guest",
    "visit": "host",
    "conference": "participant",
    "briefing": "participant",
    "correspondence": "recipient",
    "agreement": "signatory",
    "assistance": "recipient",
    "call": "participant",
}
_DESTINATION = re.compile(
    r"^\s*(?:(?:a|an|the|his|her|their|its)\s+)?(?:\w+\s+){0,5}?(?:to|in)\s+$"
)


@dataclass(frozen=True)
class Party:
    """An actor taking part, with the side it is on."""

    actor: Actor
    role: str
    start: int


def government(registry: Registry, iso3: str) -> Actor:
    """Return the government actor of a country."""
    key = registry.government_by_country.get(iso3)
    if key:
        actor = registry.actor(key)
        return Actor(
            actor.key, country_name(registry, iso3) or actor.name, ActorKind.GOVERNMENT, iso3
        )
    return Actor("gov:" + iso3, country_name(registry, iso3) or iso3, ActorKind.GOVERNMENT, iso3)


class ParticipantRules:
    """Turn the mentions of a sentence into participants."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.state_titles = list(pattern_json("people.json")["state_titles"])
        titles = "|".join(re.escape(t) for t in sorted(self.state_titles, key=len, reverse=True))
        # "Lao President", "the Chinese and Nepali foreign ministers" (plural, any case).
        self.state_title = re.compile(rf"^\s+(?:and\s+[A-Z][\w-]+\s+)?(?i:{titles})s?\b")

    def parties(self, view: SentenceView, type_: str, anchor: int, lo: int, hi: int) -> list[Party]:
        """Return the participants named between offsets lo and hi of a sentence."""
        registry = self.registry
        found: list[Party] = []
        seen: set[str] = set()

        def add(actor: Actor, start: int) -> None:
            if actor.name in seen:
                return
            seen.add(actor.name)
            side = _FIRST_SIDE if start < anchor else _SECOND_SIDE
            found.append(Party(actor, side.get(type_, "participant"), start))

        for mention in view.actors:
            if lo <= mention.start < hi:
                add(mention.actor, mention.start)
        has_party = any(p.actor.kind in (ActorKind.PARTY, ActorKind.PARTY_ORGAN) for p in found)
        text = view.body
        for country in view.countries:
            if not lo <= country.start < hi:
                continue
            after = text[country.end - view.start :]
            if country.adjective:
                if self.state_title.match(after):
                    add(government(registry, country.iso3), country.start)
            elif not has_party and not after.startswith(("'s", "’s")):
                add(government(registry, country.iso3), country.start)
        for person in view.people:
            if lo <= person.start < hi and person.state and person.org and person.org not in seen:
                iso3 = registry.country_names.get(person.org)
                if iso3:
                    add(government(registry, iso3), person.start)
        found.sort(key=lambda p: p.start)
        return found

    def destinations(
        self, view: SentenceView, start: int, end: int
    ) -> list[tuple[str, str | None, int]]:
        """Return the countries (and cities) a visit went to: (iso3, city, offset)."""
        body = view.body
        out: list[tuple[str, str | None, int]] = []
        rel = end - view.start
        right = len(body)
        stop = re.search(
            r"[;]|\s(?:at|from|on|in|during|where|and\s+(?:met|held|signed))\s(?![A-Z])", body[rel:]
        )
        if stop:
            right = rel + stop.start()
        for country in view.countries:
            pos = country.start - view.start
            if country.adjective or not rel - 1 <= pos < right:
                continue
            out.append((country.iso3, None, country.start))
        for place in view.places:
            pos = place.start - view.start
            if rel - 1 <= pos < right and not any(o[0] == place.country for o in out):
                out.append((place.country, place.city, place.start))
        out.sort(key=lambda o: o[2])
        if out:
            # Only the first run of a list counts ("to Kazakhstan and Uzbekistan"), not later ones.
            gap = body[rel : out[0][2] - view.start]
            if len(gap) > 60:
                return []
        return out


def people_for(view: SentenceView, lo: int, hi: int) -> list[PersonMention]:
    """Return the people named between two offsets."""
    return [p for p in view.people if lo <= p.start < hi]


def venue(
    view: SentenceView, mechanism_text: str | None, registry: Registry, until: int | None = None
) -> tuple[str | None, str | None]:
    """Return the city and country a sentence gives as the venue (before offset `until`)."""
    for place in view.places:
        if until is not None and place.start >= until:
            continue  # the place of the event's topic, not of the event
        if any(
            a.start <= place.start < a.end for a in view.actors if a.rule != "aggregate of parties"
        ):
            continue
        return place.city, place.country
    if mechanism_text:
        for city, iso3 in registry.cities.items():
            # The substring test first: compiling a pattern per city costs more than the search.
            if city in mechanism_text and re.search(rf"\b{re.escape(city)}\b", mechanism_text):
                return city, iso3
    if re.search(r"\bhere\b", view.body):
        return "here", None
    return None, None


def dateline_place(dateline: Dateline | None) -> tuple[str | None, str | None]:
    """Return the dateline city and country."""
    if dateline is None:
        return None, None
    return dateline.city, dateline.country


def actors_in(mentions: list[ActorMention], lo: int, hi: int) -> list[ActorMention]:
    """Return the actor mentions between two offsets."""
    return [m for m in mentions if lo <= m.start < hi]
