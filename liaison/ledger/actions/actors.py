"""Actions on counterparts: create, update, name, identify."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from liaison.domain.enums import ActorKind, GovernmentStatus, NameType, ReviewStatus
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.actions.audit import (
    SYSTEM,
    Author,
    created,
    snapshot,
    track_created,
    update_fields,
    write_audit,
)
from liaison.ledger.models import (
    Actor,
    ActorName,
    ActorStatus,
    Country,
    ExternalId,
    ImportBatch,
    Person,
    Position,
)
from liaison.ledger.models.fields import normalize_name


@dataclass(frozen=True)
class NameInput:
    """A further name of an actor."""

    name: str
    name_type: NameType = NameType.ALIAS
    lang: str = ""
    script: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class StatusInput:
    """A ruling/coalition/opposition period."""

    status: GovernmentStatus
    start: date | None = None
    end: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ActorInput:
    """Everything needed to create an actor."""

    name: str
    kind: ActorKind
    country: str | None = None
    key: str | None = None
    org_type: str = ""
    family: str = ""
    parent: Actor | None = None
    founded: int | None = None
    dissolved: int | None = None
    description: str = ""
    review_status: ReviewStatus = ReviewStatus.CONFIRMED
    names: tuple[NameInput, ...] = ()
    statuses: tuple[StatusInput, ...] = ()
    external_ids: tuple[tuple[str, str], ...] = field(default=())


def _country(code: str | None) -> Country | None:
    if not code:
        return None
    try:
        return Country.objects.get(iso3=code.upper())
    except Country.DoesNotExist as error:
        raise LiaisonError(
            ErrorCode.UNKNOWN_COUNTRY, f"{code!r} is not a known ISO 3166 alpha-3 country code"
        ) from error


def actor_state(actor: Actor) -> dict[str, Any]:
    """Return an actor with its names, statuses and external ids, for the audit entry."""
    state = snapshot(actor)
    state["names"] = [snapshot(n) for n in actor.names.all()]
    state["statuses"] = [snapshot(s) for s in actor.statuses.all()]
    state["external_ids"] = [snapshot(i) for i in actor.external_ids.all()]
    return state


@transaction.atomic
def create_actor(
    data: ActorInput, author: Author = SYSTEM, batch: ImportBatch | None = None
) -> Actor:
    """Create an actor with its names, statuses and external identifiers, as one audited change."""
    if not data.name.strip():
        raise LiaisonError(ErrorCode.BAD_INPUT, "an actor needs a name")
    wanted = Q(pk__in=[])
    for scheme, value in data.external_ids:
        wanted |= Q(scheme=scheme, value=value)
    taken = [str(i) for i in ExternalId.objects.filter(wanted)] if data.external_ids else []
    if taken:
        raise LiaisonError(
            ErrorCode.CONFLICT, f"{', '.join(taken)} already belong(s) to another actor"
        )
    actor = Actor.objects.create(
        key=data.key,
        kind=data.kind,
        org_type=data.org_type,
        name=data.name.strip(),
        country=_country(data.country),
        family=data.family,
        parent=data.parent,
        founded=data.founded,
        dissolved=data.dissolved,
        description=data.description,
        review_status=data.review_status,
    )
    names: dict[tuple[str, str], ActorName] = {}
    for name in data.names:
        text = name.name.strip()
        if text:
            names.setdefault(
                (normalize_name(text), name.name_type),
                ActorName(
                    actor=actor,
                    name=text,
                    normalized=normalize_name(text),
                    name_type=name.name_type,
                    lang=name.lang,
                    script=name.script,
                    valid_from=name.valid_from,
                    valid_to=name.valid_to,
                ),
            )
    ActorName.objects.bulk_create(names.values())
    ActorStatus.objects.bulk_create(
        ActorStatus(actor=actor, status=s.status, start=s.start, end=s.end, note=s.note)
        for s in data.statuses
    )
    ExternalId.objects.bulk_create(
        ExternalId(actor=actor, scheme=s, value=v) for s, v in dict.fromkeys(data.external_ids)
    )
    # One entry for the actor and everything created with it; undo deletes them together.
    write_audit(author, "create_actor", actor, None, actor_state(actor), batch)
    track_created(batch, actor)
    return actor


@transaction.atomic
def update_actor(
    actor: Actor, values: dict[str, Any], author: Author = SYSTEM, batch: ImportBatch | None = None
) -> bool:
    """Change an actor's own fields; return whether anything changed."""
    if "country" in values and not isinstance(values["country"], Country | None):
        values = {**values, "country": _country(values["country"])}
    return update_fields(author, "update_actor", actor, values, batch)


def add_actor_name(
    actor: Actor, name: NameInput, author: Author = SYSTEM, batch: ImportBatch | None = None
) -> ActorName | None:
    """Add a name to an actor unless it already has it with that type; return the new name."""
    text = name.name.strip()
    if not text:
        return None
    if actor.names.filter(normalized=normalize_name(text), name_type=name.name_type).exists():
        return None
    return _create_name(actor, name, author, batch)


def _create_name(
    actor: Actor, name: NameInput, author: Author, batch: ImportBatch | None
) -> ActorName:
    row = ActorName.objects.create(
        actor=actor,
        name=name.name.strip(),
        name_type=name.name_type,
        lang=name.lang,
        script=name.script,
        valid_from=name.valid_from,
        valid_to=name.valid_to,
    )
    created(author, "add_actor_name", row, batch)
    return row


def add_actor_status(
    actor: Actor, status: StatusInput, author: Author = SYSTEM, batch: ImportBatch | None = None
) -> ActorStatus | None:
    """Add a government-status period unless the actor already has the same one."""
    if actor.statuses.filter(status=status.status, start=status.start, end=status.end).exists():
        return None
    row = ActorStatus.objects.create(
        actor=actor, status=status.status, start=status.start, end=status.end, note=status.note
    )
    created(author, "add_actor_status", row, batch)
    return row


def add_external_id(
    actor: Actor, scheme: str, value: str, author: Author = SYSTEM, batch: ImportBatch | None = None
) -> ExternalId | None:
    """Link an actor to its record in another dataset; refuse an id that names another actor."""
    existing = ExternalId.objects.filter(scheme=scheme, value=value).first()
    if existing is not None:
        if existing.actor_id != actor.pk:
            raise LiaisonError(
                ErrorCode.CONFLICT,
                f"{scheme}:{value} already belongs to actor {existing.actor_id}; merge the two",
            )
        return None
    row = ExternalId.objects.create(actor=actor, scheme=scheme, value=value)
    created(author, "add_external_id", row, batch)
    return row


@transaction.atomic
def set_actor_review_status(actor: Actor, status: ReviewStatus, author: Author = SYSTEM) -> bool:
    """Confirm, correct or reject a proposed actor."""
    return update_fields(author, "review_actor", actor, {"review_status": status})


@transaction.atomic
def add_position(
    person_name: str,
    actor: Actor,
    title: str,
    start: date | None = None,
    end: date | None = None,
    author: Author = SYSTEM,
) -> Position:
    """Record that a person holds a title at an actor from one date to another."""
    if start and end and end < start:
        raise LiaisonError(ErrorCode.BAD_DATE, f"the position ends ({end}) before it starts")
    person = Person.objects.filter(normalized=normalize_name(person_name)).first()
    if person is None:
        person = Person.objects.create(name=person_name.strip(), country=actor.country)
        created(author, "create_person", person)
    position = Position.objects.create(
        person=person, actor=actor, title=title, start=start, end=end
    )
    created(author, "add_position", position)
    return position
