"""Factories that make ledger rows through the actions, for tests: make_*()."""

from __future__ import annotations

from itertools import count
from typing import Any

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    ActorKind,
    Channel,
    ExchangeType,
    NameType,
    ParticipantRole,
    UserRole,
)
from liaison.ledger import actions
from liaison.ledger.models import Actor, Country, Exchange, Unit

_serial = count(1)


def make_country(iso3: str = "ZAF", name: str = "South Africa", **values: Any) -> Country:
    """Make (or return) a country."""
    existing = Country.objects.filter(iso3=iso3).first()
    if existing:
        return existing
    defaults = {"iso2": iso3[:2], "region": "Africa", "development_status": "developing"}
    actions.upsert_country({"iso3": iso3, "name": name, **defaults, **values})
    return Country.objects.get(iso3=iso3)


def make_actor(
    name: str | None = None,
    kind: ActorKind = ActorKind.PARTY,
    country: str | None = "ZAF",
    aliases: tuple[str, ...] = (),
    **values: Any,
) -> Actor:
    """Make an actor, with its country and aliases."""
    if country:
        make_country(country, name=f"Country {country}")
    return actions.create_actor(
        actions.ActorInput(
            name=name or f"Party number {next(_serial)}",
            kind=kind,
            country=country,
            names=tuple(actions.NameInput(a, NameType.ALIAS) for a in aliases),
            **values,
        )
    )


def make_unit(code: str = "central", parent: Unit | None = None) -> Unit:
    """Make (or return) a unit."""
    return actions.ensure_unit(code, code.replace(".", " ").title(), parent)


def make_exchange(
    *participants: Actor,
    when: str = "2024-05-14",
    type: ExchangeType = ExchangeType.MEETING,
    channel: Channel = Channel.IN_PERSON,
    **values: Any,
) -> Exchange:
    """Make an exchange between actors (two new parties if none are given)."""
    people = participants or (make_actor(), make_actor())
    roles = [ParticipantRole.HOST] + [ParticipantRole.GUEST] * (len(people) - 1)
    return actions.record_exchange(
        actions.ExchangeInput(
            type=type,
            date=PartialDate.parse(when),
            channel=channel,
            participants=tuple(zip(people, roles, strict=True)),
            **values,
        )
    )


def make_user(username: str = "editor", role: UserRole = UserRole.EDITOR, unit: Unit | None = None):  # type: ignore[no-untyped-def]
    """Make a user in a unit."""
    return actions.create_user(
        username, "a long test password", role, unit or make_unit(), check_password=False
    )
