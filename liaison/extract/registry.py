"""Load the reference registry and our pattern tables once per process."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from liaison.domain.enums import ActorKind

_KINDS = {
    "party": ActorKind.PARTY,
    "party_organ": ActorKind.PARTY_ORGAN,
    "government": ActorKind.GOVERNMENT,
    # The event contract has no legislature kind: legislatures are reported as government.
    "legislature": ActorKind.GOVERNMENT,
    "organization": ActorKind.ORGANIZATION,
}


@dataclass(frozen=True)
class Actor:
    """A counterpart known to the registry, or found by its shape."""

    key: str
    name: str
    kind: ActorKind
    country: str | None
    parent: str | None = None


@dataclass(frozen=True)
class Mechanism:
    """A dialogue mechanism with its editions."""

    key: str
    name: str
    organizer: str | None
    bilateral: bool
    editions: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Country:
    """A country with the words the press uses for it."""

    iso3: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]


@dataclass
class Registry:
    """Everything the components look names up in."""

    actors: dict[str, Actor] = field(default_factory=dict)
    # surface form -> actor keys; abbreviations are kept apart because they match case-sensitively.
    names: dict[str, list[str]] = field(default_factory=dict)
    abbreviations: dict[str, list[str]] = field(default_factory=dict)
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    mechanism_names: dict[str, str] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    adjectives: dict[str, str] = field(default_factory=dict)
    cities: dict[str, str] = field(default_factory=dict)
    government_by_country: dict[str, str] = field(default_factory=dict)

    def actor(self, key: str) -> Actor:
        """Return the actor with this key."""
        return self.actors[key]


def _reference_text(name: str) -> str | None:
    try:
        return resources.files("liaison.reference").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None


def pattern_text(name: str) -> str:
    """Read one of our pattern files."""
    return resources.files("liaison.extract.patterns").joinpath(name).read_text(encoding="utf-8")


@cache
def pattern_json(name: str) -> Any:
    """Read and cache one of our JSON pattern files."""
    return json.loads(pattern_text(name))


def _jsonl(text: str | None) -> list[dict[str, Any]]:
    rows = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            # A half-written registry line must not stop extraction.
            continue
    return rows


def _is_abbreviation(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return (
        bool(letters) and len(name) <= 10 and sum(c.isupper() for c in letters) >= len(letters) - 2
    )


def _add(index: dict[str, list[str]], surface: str, key: str) -> None:
    keys = index.setdefault(surface, [])
    if key not in keys:
        keys.append(key)


def _load_actors(registry: Registry) -> None:
    for row in _jsonl(_reference_text("actors.jsonl")):
        kind = _KINDS.get(str(row.get("kind")))
        key = row.get("key")
        name = row.get("name")
        if kind is None or not key or not name:
            continue
        actor = Actor(key, name, kind, row.get("country"), row.get("parent"))
        registry.actors[key] = actor
        if row.get("kind") == "government" and actor.country:
            registry.government_by_country.setdefault(actor.country, key)
        surfaces = [name] + [n.get("name", "") for n in row.get("names") or [] if n.get("name")]
        for surface in surfaces:
            if not surface.isascii() and not any(c.isalpha() and c.isascii() for c in surface):
                continue  # names in other scripts never occur in English press text
            if _is_abbreviation(surface):
                _add(registry.abbreviations, surface, key)
            else:
                _add(registry.names, surface.lower(), key)


def _load_mechanisms(registry: Registry) -> None:
    for row in _jsonl(_reference_text("mechanisms.jsonl")):
        key, name = row.get("key"), row.get("name")
        if not key or not name:
            continue
        mechanism = Mechanism(
            key,
            name,
            row.get("organizer"),
            bilateral=str(row.get("scope")) == "bilateral",
            editions=tuple(row.get("editions") or ()),
        )
        registry.mechanisms[key] = mechanism
        for surface in [name, *(row.get("aliases") or [])]:
            if surface and surface.isascii() and len(surface) > 4:
                registry.mechanism_names.setdefault(surface.lower(), key)


def _load_countries(registry: Registry) -> None:
    for row in csv.DictReader(pattern_text("countries.csv").splitlines()):
        names = tuple(n for n in [row["name"], *row["aliases"].split("|")] if n)
        adjectives = tuple(a for a in row["adjectives"].split("|") if a)
        country = Country(row["iso3"], row["name"], names, adjectives)
        registry.countries[country.iso3] = country
        for surface in names:
            registry.country_names.setdefault(surface, country.iso3)
        for adjective in adjectives:
            registry.adjectives.setdefault(adjective, country.iso3)
    # The shared country table, when present, adds official names ("Republic of Kenya").
    shared = _reference_text("countries.csv")
    if shared:
        for row in csv.DictReader(shared.splitlines()):
            iso3 = (row.get("iso3") or "").strip()
            surfaces = [(row.get(c) or "").strip() for c in ("name", "official_name")]
            surfaces = [s for s in surfaces if s and s.isascii()]
            if not iso3 or not surfaces:
                continue
            for surface in surfaces:
                registry.country_names.setdefault(surface, iso3)
            if iso3 not in registry.countries:
                # A country only the shared table knows still needs its name in the output.
                registry.countries[iso3] = Country(iso3, surfaces[0], tuple(surfaces), ())
    for row in csv.DictReader(pattern_text("cities.csv").splitlines()):
        registry.cities[row["city"]] = row["iso3"]


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """Build the registry from the reference files (once per process)."""
    registry = Registry()
    _load_actors(registry)
    _load_mechanisms(registry)
    _load_countries(registry)
    return registry


def country_name(registry: Registry, iso3: str | None) -> str | None:
    """Return the short English name of a country."""
    if not iso3:
        return None
    country = registry.countries.get(iso3)
    return country.name if country else None
