"""Read the reference data files into plain dictionaries."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any


def _text(name: str) -> str:
    return resources.files("liaison.reference").joinpath(name).read_text(encoding="utf-8")


def _csv(name: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(_text(name).splitlines())


def _jsonl(name: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(_text(name).splitlines(), start=1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{name} line {number}: {error}") from error


def countries() -> Iterator[dict[str, str]]:
    """Yield the ISO 3166-1 countries and territories."""
    return _csv("countries.csv")


def other_entities() -> Iterator[dict[str, str]]:
    """Yield the non-ISO entities that Party Facts codes parties by (historical, sub-national)."""
    return _csv("other_entities.csv")


def groups() -> Iterator[dict[str, str]]:
    """Yield the country groupings with their sources."""
    return _csv("groups.csv")


def group_members() -> Iterator[dict[str, str]]:
    """Yield the dated memberships of countries in groups."""
    return _csv("group_members.csv")


def actors() -> Iterator[dict[str, Any]]:
    """Yield the starter registry of parties, party organs and organizations."""
    return _jsonl("actors.jsonl")


def mechanisms() -> Iterator[dict[str, Any]]:
    """Yield the dialogue mechanisms with their editions."""
    return _jsonl("mechanisms.jsonl")
