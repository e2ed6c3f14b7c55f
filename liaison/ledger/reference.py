"""Load the reference data shipped with liaison into the ledger, through the actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from liaison.domain.dates import PartialDate
from liaison.domain.enums import ActorKind, Channel, GovernmentStatus, NameType
from liaison.ledger import actions
from liaison.ledger.actions import SYSTEM, Author
from liaison.ledger.models import Actor, Country, CountryGroup
from liaison.reference import read

Progress = Callable[[str], None]


def _partial(text: str | None) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def _first_day(text: str | None) -> date | None:
    value = _partial(text)
    return value.first_day if value else None


def _last_day(text: str | None) -> date | None:
    value = _partial(text)
    return value.last_day if value else None


def load_countries(author: Author) -> int:
    """Load countries, the non-ISO entities, groups and memberships; return rows changed."""
    changes = 0
    for row in read.countries():
        changes += actions.upsert_country(
            {
                "iso3": row["iso3"],
                "iso2": row["iso2"],
                "m49": row["m49"],
                "name": row["name"],
                "official_name": row["official_name"],
                "kind": row["kind"],
                "region": row["region"],
                "subregion": row["subregion"],
                "intermediate_region": row["intermediate_region"],
                "un_member": row["un_member"] == "yes",
                "development_status": row["development_status"],
            },
            author,
        )
    for row in read.other_entities():
        changes += actions.upsert_country(
            {
                "iso3": row["iso3"],
                "name": row["name"],
                "kind": row["kind"],
                "region": row["region"],
                "subregion": row["subregion"],
                "development_status": row["development_status"],
            },
            author,
        )
    for row in read.groups():
        changes += actions.upsert_group(
            {
                "code": row["code"],
                "name": row["name"],
                "kind": row["kind"],
                "source": row["source"],
                "as_of": _first_day(row["as_of"]),
            },
            author,
        )
    groups = {g.code: g for g in CountryGroup.objects.all()}
    countries = {c.iso3: c for c in Country.objects.all()}
    for row in read.group_members():
        changes += actions.upsert_membership(
            groups[row["group"]],
            countries[row["iso3"]],
            _partial(row["joined"]),
            _partial(row["left"]),
            row.get("note", ""),
            author,
        )
    return changes


def _actor_input(row: dict[str, Any], parent: Actor | None) -> actions.ActorInput:
    return actions.ActorInput(
        key=row["key"],
        name=row["name"],
        kind=ActorKind(row["kind"]),
        country=row.get("country"),
        org_type=row.get("org_type") or "",
        family=row.get("family") or "",
        parent=parent,
        names=tuple(
            actions.NameInput(
                name=n["name"],
                name_type=NameType(n.get("type", "alias")),
                lang=n.get("lang", ""),
                script=n.get("script", ""),
                valid_from=_first_day(n.get("valid_from")),
                valid_to=_last_day(n.get("valid_to")),
            )
            for n in row.get("names", [])
        ),
        statuses=tuple(
            actions.StatusInput(
                status=GovernmentStatus(s["status"]),
                start=_first_day(s.get("from")),
                end=_last_day(s.get("to")),
            )
            for s in row.get("status", [])
        ),
        external_ids=tuple((i["scheme"], str(i["value"])) for i in row.get("ids", [])),
    )


def load_actors(author: Author) -> int:
    """Load the starter registry: create missing actors and add missing names; return changes."""
    rows = list(read.actors())
    existing = {a.key: a for a in Actor.objects.exclude(key=None)}
    changes = 0
    # Parents first, so that an organ can point at its party.
    for row in sorted(rows, key=lambda r: r.get("parent") is not None):
        parent = existing.get(row["parent"]) if row.get("parent") else None
        data = _actor_input(row, parent)
        actor = existing.get(row["key"])
        if actor is None:
            existing[row["key"]] = actions.create_actor(data, author)
            changes += 1
            continue
        changes += actions.update_actor(
            actor,
            {
                "name": data.name,
                "kind": data.kind,
                "org_type": data.org_type,
                "family": data.family,
                "parent": parent,
            },
            author,
        )
        for name in data.names:
            changes += actions.add_actor_name(actor, name, author) is not None
        for status in data.statuses:
            changes += actions.add_actor_status(actor, status, author) is not None
    return changes


def load_mechanisms(author: Author) -> int:
    """Load the dialogue mechanisms and their editions; return changes."""
    actors = {a.key: a for a in Actor.objects.exclude(key=None)}
    countries = {c.iso3: c for c in Country.objects.all()}
    changes = 0
    for row in read.mechanisms():
        mechanism, changed = actions.upsert_mechanism(
            {
                "key": row["key"],
                "name": row["name"],
                "aliases": row.get("aliases", []),
                "scope": row["scope"],
                "region": row.get("region") or "",
                "organizer": actors.get(row.get("organizer") or ""),
                "description": row.get("description") or "",
            },
            author,
        )
        changes += changed
        for edition in row.get("editions", []):
            changes += actions.upsert_edition(
                mechanism,
                edition["name"],
                _partial(edition.get("date")),
                number=edition.get("number"),
                end_date=_last_day(edition.get("end_date")),
                city=edition.get("city") or "",
                country=countries.get(edition.get("country") or ""),
                channel=Channel(edition.get("channel") or "unknown"),
                author=author,
            )[1]
    return changes


@transaction.atomic
def load_reference(author: Author = SYSTEM, progress: Progress | None = None) -> dict[str, int]:
    """Load every reference table; a second run changes nothing. Return changes per table."""
    counts: dict[str, int] = {}
    for name, step in (
        ("countries", load_countries),
        ("actors", load_actors),
        ("mechanisms", load_mechanisms),
    ):
        if progress:
            progress(name)
        counts[name] = step(author)
    actions.ensure_unit("central", "Central department", author=author)
    return counts
