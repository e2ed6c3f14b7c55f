"""Actions on reference tables: countries and groups, units, mechanisms and their editions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from liaison.domain.dates import PartialDate
from liaison.domain.enums import Channel, MechanismScope
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.actions.audit import SYSTEM, Author, created, update_fields
from liaison.ledger.models import (
    Actor,
    Country,
    CountryGroup,
    GroupMembership,
    ImportBatch,
    Mechanism,
    MechanismEdition,
    Unit,
)


def upsert_country(values: dict[str, Any], author: Author = SYSTEM) -> bool:
    """Create or update a country by its alpha-3 code; return whether anything changed."""
    country = Country.objects.filter(iso3=values["iso3"]).first()
    if country is None:
        country = Country.objects.create(**values)
        created(author, "create_country", country)
        return True
    return update_fields(author, "update_country", country, values)


def upsert_group(values: dict[str, Any], author: Author = SYSTEM) -> bool:
    """Create or update a country group by its code."""
    group = CountryGroup.objects.filter(code=values["code"]).first()
    if group is None:
        group = CountryGroup.objects.create(**values)
        created(author, "create_group", group)
        return True
    return update_fields(author, "update_group", group, values)


def upsert_membership(
    group: CountryGroup,
    country: Country,
    joined: PartialDate | None,
    left: PartialDate | None,
    note: str = "",
    author: Author = SYSTEM,
) -> bool:
    """Record a dated membership of a country in a group."""
    values = {
        "joined": joined.first_day if joined else None,
        "joined_text": joined.isoformat() if joined else "",
        "left": left.last_day if left else None,
        "left_text": left.isoformat() if left else "",
        "note": note,
    }
    membership = GroupMembership.objects.filter(
        group=group, country=country, joined=values["joined"]
    ).first()
    if membership is None:
        membership = GroupMembership.objects.create(group=group, country=country, **values)
        created(author, "add_membership", membership)
        return True
    return update_fields(author, "update_membership", membership, values)


@transaction.atomic
def create_unit(code: str, name: str, parent: Unit | None = None, author: Author = SYSTEM) -> Unit:
    """Create a unit of the internal organization."""
    if Unit.objects.filter(code=code).exists():
        raise LiaisonError(ErrorCode.CONFLICT, f"a unit with code {code!r} exists already")
    unit = Unit.objects.create(code=code, name=name, parent=parent)
    created(author, "create_unit", unit)
    return unit


def ensure_unit(code: str, name: str, parent: Unit | None = None, author: Author = SYSTEM) -> Unit:
    """Return the unit with this code, creating it if needed."""
    unit = Unit.objects.filter(code=code).first()
    return unit or create_unit(code, name, parent, author)


def upsert_mechanism(
    values: dict[str, Any], author: Author = SYSTEM, batch: ImportBatch | None = None
) -> tuple[Mechanism, bool]:
    """Create or update a mechanism by its key (or name when it has no key)."""
    lookup = {"key": values["key"]} if values.get("key") else {"name": values["name"]}
    mechanism = Mechanism.objects.filter(**lookup).first()
    if values.get("scope") not in {s.value for s in MechanismScope}:
        raise LiaisonError(ErrorCode.BAD_INPUT, f"unknown mechanism scope {values.get('scope')!r}")
    if mechanism is None:
        mechanism = Mechanism.objects.create(**values)
        created(author, "create_mechanism", mechanism, batch)
        return mechanism, True
    return mechanism, update_fields(author, "update_mechanism", mechanism, values, batch)


def upsert_edition(
    mechanism: Mechanism,
    name: str,
    when: PartialDate | None,
    number: int | None = None,
    end_date: date | None = None,
    city: str = "",
    country: Country | None = None,
    channel: Channel = Channel.UNKNOWN,
    author: Author = SYSTEM,
) -> tuple[MechanismEdition, bool]:
    """Create or update an edition of a mechanism by its name."""
    values: dict[str, Any] = {
        "number": number,
        "date": when.first_day if when else None,
        "date_precision": when.precision if when else "year",
        "end_date": end_date,
        "city": city,
        "country": country,
        "channel": channel,
    }
    edition = MechanismEdition.objects.filter(mechanism=mechanism, name=name).first()
    if edition is None:
        edition = MechanismEdition.objects.create(mechanism=mechanism, name=name, **values)
        created(author, "add_edition", edition)
        return edition, True
    return edition, update_fields(author, "update_edition", edition, values)


def set_mechanism_organizer(
    mechanism: Mechanism, organizer: Actor | None, author: Author = SYSTEM
) -> bool:
    """Name the actor that organizes a mechanism."""
    return update_fields(author, "update_mechanism", mechanism, {"organizer": organizer})
