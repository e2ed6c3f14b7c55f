"""Actions on exchanges, their participants and people, sources, evidence and claims."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    Channel,
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
    Visibility,
)
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.actions.audit import (
    SYSTEM,
    Author,
    created,
    remembered,
    snapshot,
    track_created,
    track_updated,
    update_fields,
    write_audit,
)
from liaison.ledger.models import (
    Actor,
    Attendance,
    Claim,
    Country,
    Evidence,
    Exchange,
    ImportBatch,
    Mechanism,
    MechanismEdition,
    Participation,
    Person,
    Source,
    Unit,
)
from liaison.ledger.models.fields import normalize_name


@dataclass(frozen=True)
class PersonInput:
    """A person present at an exchange."""

    name: str
    role: str = ""
    org: Actor | None = None


@dataclass(frozen=True)
class SourceInput:
    """A document behind an exchange or a claim."""

    url: str = ""
    title: str = ""
    outlet: str = ""
    published: datetime.date | None = None
    language: str = ""
    text: str = ""
    doc: str = ""


@dataclass(frozen=True)
class EvidenceInput:
    """A span of a source that supports an exchange or a claim."""

    source: SourceInput
    text: str
    start: int | None = None
    end: int | None = None
    confidence: float | None = None
    stored_source: Source | None = None  # the source row, when the caller already has it


@dataclass(frozen=True)
class ExchangeInput:
    """Everything needed to record an exchange."""

    type: ExchangeType
    date: PartialDate
    participants: tuple[tuple[Actor, ParticipantRole], ...]
    channel: Channel = Channel.UNKNOWN
    end_date: datetime.date | None = None
    city: str = ""
    country: str | None = None
    mechanism: Mechanism | None = None
    edition: MechanismEdition | None = None
    topics: tuple[str, ...] = ()
    summary: str = ""
    outcomes: str = ""
    unit: Unit | None = None
    visibility: Visibility = Visibility.PUBLIC
    review_status: ReviewStatus = ReviewStatus.CONFIRMED
    external_ref: str | None = None
    people: tuple[PersonInput, ...] = ()
    evidence: tuple[EvidenceInput, ...] = field(default=())


def _validate(data: ExchangeInput) -> Country | None:
    if not data.participants:
        raise LiaisonError(ErrorCode.BAD_INPUT, "an exchange needs at least one participant")
    if data.end_date is not None and data.end_date < data.date.first_day:
        raise LiaisonError(
            ErrorCode.BAD_DATE, f"the end date {data.end_date} is before the date {data.date}"
        )
    if data.edition is not None and data.mechanism not in (None, data.edition.mechanism):
        raise LiaisonError(ErrorCode.BAD_INPUT, "the edition belongs to another mechanism")
    for evidence in data.evidence:
        _check_span(evidence)
    if not data.country:
        return None
    country: Country | None = remembered("country", data.country.upper(), _country)
    if country is None:
        raise LiaisonError(ErrorCode.UNKNOWN_COUNTRY, f"{data.country!r} is not a known country")
    return country


def _country(iso3: str) -> Country | None:
    return Country.objects.filter(iso3=iso3).first()


def _check_span(data: EvidenceInput) -> None:
    if data.start is not None and data.end is not None and data.end < data.start:
        raise LiaisonError(ErrorCode.BAD_INPUT, "an evidence span ends before it starts")


def _fields(data: ExchangeInput, country: Country | None) -> dict[str, Any]:
    mechanism = data.mechanism or (data.edition.mechanism if data.edition else None)
    return {
        "type": data.type,
        "channel": data.channel,
        "date": data.date.first_day,
        "date_precision": data.date.precision,
        "end_date": data.end_date,
        "city": data.city,
        "country": country,
        "mechanism": mechanism,
        "edition": data.edition,
        "topics": list(data.topics),
        "summary": data.summary,
        "outcomes": data.outcomes,
        "unit": data.unit,
        "visibility": data.visibility,
        "review_status": data.review_status,
        "external_ref": data.external_ref,
    }


def _attach(
    exchange: Exchange, data: ExchangeInput, author: Author, batch: ImportBatch | None
) -> None:
    for actor, role in data.participants:
        participation, new = Participation.objects.get_or_create(
            exchange=exchange, actor=actor, role=role
        )
        if new:
            created(author, "add_participant", participation, batch)
    for person_input in data.people:
        attendance = Attendance.objects.create(
            exchange=exchange,
            person=_person(person_input, author, batch),
            role=person_input.role,
            org=person_input.org,
        )
        created(author, "add_person", attendance, batch)
    for evidence in data.evidence:
        add_evidence(evidence, exchange=exchange, author=author, batch=batch)


def _person(data: PersonInput, author: Author, batch: ImportBatch | None) -> Person:
    person = Person.objects.filter(normalized=normalize_name(data.name)).first()
    if person is None:
        person = Person.objects.create(name=data.name.strip())
        created(author, "create_person", person, batch)
    return person


def _evidence_row(
    data: EvidenceInput,
    author: Author,
    batch: ImportBatch | None,
    exchange: Exchange | None = None,
    claim: Claim | None = None,
) -> Evidence:
    _check_span(data)
    source = data.stored_source or record_source(data.source, author, batch)[0]
    return Evidence(
        source=source,
        exchange=exchange,
        claim=claim,
        text=data.text,
        start=data.start,
        end=data.end,
        confidence=data.confidence,
    )


def record_exchange(
    data: ExchangeInput, author: Author = SYSTEM, batch: ImportBatch | None = None
) -> Exchange:
    """Record an exchange with its participants, people and evidence, as one audited change."""
    country = _validate(data)
    # Validated before writing, so no savepoint is needed unless sources are still to be stored
    # (which may refuse one): a savepoint costs two statements, a large share of a bulk ingest.
    savepoint = any(e.stored_source is None for e in data.evidence)
    with transaction.atomic(savepoint=savepoint):
        return _record_exchange(data, country, author, batch)


def _record_exchange(
    data: ExchangeInput, country: Country | None, author: Author, batch: ImportBatch | None
) -> Exchange:
    exchange = Exchange.objects.create(**_fields(data, country))
    participations = Participation.objects.bulk_create(
        Participation(exchange=exchange, actor=actor, role=role)
        for actor, role in dict.fromkeys(data.participants)
    )
    attendances = Attendance.objects.bulk_create(
        Attendance(exchange=exchange, person=_person(p, author, batch), role=p.role, org=p.org)
        for p in data.people
    )
    evidence = Evidence.objects.bulk_create(
        _evidence_row(e, author, batch, exchange=exchange) for e in data.evidence
    )
    # One entry for the exchange and the rows made with it; deleting the exchange removes them.
    state = _state(exchange, participations, attendances)
    state["evidence"] = [snapshot(row) for row in evidence]
    write_audit(author, "record_exchange", exchange, None, state, batch)
    track_created(batch, exchange)
    return exchange


def _state(
    exchange: Exchange,
    participations: Iterable[Participation],
    attendances: Iterable[Attendance],
) -> dict[str, Any]:
    state = snapshot(exchange)
    state["participants"] = sorted([p.pk, p.actor_id, p.role] for p in participations)
    state["people"] = sorted([a.pk, a.person_id, a.role, a.org_id] for a in attendances)
    return state


def exchange_state(exchange: Exchange) -> dict[str, Any]:
    """Return an exchange with its participant and people rows, for audit and exact undo."""
    return _state(exchange, exchange.participations.all(), exchange.attendances.all())


def _same_people(state: dict[str, Any], data: ExchangeInput) -> bool:
    names = dict(
        Person.objects.filter(pk__in=[row[1] for row in state["people"]]).values_list("pk", "name")
    )
    have = sorted((names[p], r, o or 0) for _, p, r, o in state["people"])
    want = sorted((p.name.strip(), p.role, p.org.pk if p.org else 0) for p in data.people)
    return have == want


@transaction.atomic
def update_exchange(
    exchange: Exchange,
    data: ExchangeInput,
    author: Author = SYSTEM,
    batch: ImportBatch | None = None,
) -> bool:
    """Replace an exchange's fields, participants and people; return whether anything changed."""
    country = _validate(data)
    before = exchange_state(exchange)
    row_before = {k: v for k, v in before.items() if k not in ("participants", "people")}
    for name, value in _fields(data, country).items():
        setattr(exchange, name, value)
    same_participants = sorted([a, r] for _, a, r in before["participants"]) == sorted(
        [a.pk, str(r)] for a, r in data.participants
    )
    same_people = _same_people(before, data)
    if snapshot(exchange) == row_before and same_participants and same_people:
        _add_new_evidence(exchange, data, author, batch)
        return False
    exchange.save()
    if not same_participants:
        wanted = {(a.pk, str(r)) for a, r in data.participants}
        for participation in exchange.participations.all():
            if (participation.actor_id, participation.role) not in wanted:
                participation.delete()
    if not same_people:
        exchange.attendances.all().delete()
    people = data.people if not same_people else ()
    _attach(exchange, replace(data, people=people, evidence=()), author, batch)
    _add_new_evidence(exchange, data, author, batch)
    write_audit(author, "update_exchange", exchange, before, exchange_state(exchange), batch)
    # The whole state, participant and people rows included, so that undoing restores them.
    track_updated(batch, exchange, before)
    return True


def restore_exchange(exchange: Exchange, state: dict[str, Any]) -> None:
    """Put an exchange back exactly as exchange_state() saw it, row ids included (for undo)."""
    current = snapshot(exchange)
    for name, value in state.items():
        if name not in ("participants", "people") and current.get(name) != value:
            setattr(exchange, name, value)
    exchange.save()
    keep = {row[0] for row in state["participants"]}
    exchange.participations.exclude(pk__in=keep).delete()
    present = set(exchange.participations.values_list("pk", flat=True))
    for pk, actor_id, role in state["participants"]:
        if pk not in present:
            Participation(pk=pk, exchange=exchange, actor_id=actor_id, role=role).save(
                force_insert=True
            )
    keep = {row[0] for row in state["people"]}
    exchange.attendances.exclude(pk__in=keep).delete()
    present = set(exchange.attendances.values_list("pk", flat=True))
    for pk, person_id, role, org_id in state["people"]:
        if pk not in present:
            Attendance(
                pk=pk, exchange=exchange, person_id=person_id, role=role, org_id=org_id
            ).save(force_insert=True)


def _add_new_evidence(
    exchange: Exchange, data: ExchangeInput, author: Author, batch: ImportBatch | None
) -> None:
    known = set(exchange.evidence.values_list("source__url", "text"))
    for evidence in data.evidence:
        if (evidence.source.url, evidence.text) not in known:
            add_evidence(evidence, exchange=exchange, author=author, batch=batch)


@transaction.atomic
def set_exchange_review_status(
    exchange: Exchange, status: ReviewStatus, author: Author = SYSTEM
) -> bool:
    """Confirm, correct or reject an exchange."""
    return update_fields(author, "review_exchange", exchange, {"review_status": status})


@transaction.atomic
def delete_exchange(exchange: Exchange, author: Author = SYSTEM) -> None:
    """Delete an exchange and its participations; the audit entry keeps what it was."""
    before = exchange_state(exchange)
    write_audit(author, "delete_exchange", exchange, before, None)
    exchange.delete()


def content_hash(text: str) -> str:
    """Return the sha256 of a text, the key that stores the same text once."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_source(
    data: SourceInput,
    author: Author = SYSTEM,
    batch: ImportBatch | None = None,
    extracted: bool = False,
) -> tuple[Source, bool]:
    """Store a source once: by its text's hash, or by URL when it has no text.

    A new text at a known URL is stored as the next version of that URL's source.
    """
    digest = content_hash(data.text) if data.text else ""
    if not digest and not data.url:
        known: list[Source] = []
    elif not digest:
        known = list(Source.objects.filter(url=data.url, content_hash="")[:1])
    else:
        # One query finds the same text, or the earlier versions at the same URL.
        same = Q(content_hash=digest) | Q(url=data.url) if data.url else Q(content_hash=digest)
        known = list(Source.objects.filter(same).order_by("-version", "-id"))
    existing = next((s for s in known if s.content_hash == digest), None)
    if existing is not None:
        return existing, False
    latest = known[0] if known and digest else None
    source = Source.objects.create(
        url=data.url,
        title=data.title,
        outlet=data.outlet,
        published=data.published,
        language=data.language,
        content_hash=digest,
        text=data.text,
        doc=data.doc,
        version=latest.version + 1 if latest else 1,
        supersedes=latest,
        # Ingest stores a text with its events in one transaction: stored means extracted.
        extracted_at=timezone.now() if extracted else None,
    )
    created(author, "record_source", source, batch)
    return source, True


def add_evidence(
    data: EvidenceInput,
    exchange: Exchange | None = None,
    claim: Claim | None = None,
    author: Author = SYSTEM,
    batch: ImportBatch | None = None,
) -> Evidence:
    """Attach a span of a source to an exchange or a claim."""
    evidence = _evidence_row(data, author, batch, exchange=exchange, claim=claim)
    evidence.save()
    created(author, "add_evidence", evidence, batch)
    return evidence


@transaction.atomic
def record_claim(
    value: float,
    subject: str,
    qualifier: str = "exactly",
    as_of: datetime.date | None = None,
    evidence: EvidenceInput | None = None,
    review_status: ReviewStatus = ReviewStatus.CONFIRMED,
    author: Author = SYSTEM,
    batch: ImportBatch | None = None,
) -> Claim:
    """Record a published figure with the span that states it, as one audited change."""
    claim = Claim(
        value=value,
        qualifier=qualifier,
        subject=subject,
        as_of=as_of,
        review_status=review_status,
    )
    span = _evidence_row(evidence, author, batch, claim=claim) if evidence else None
    claim.source = span.source if span else None
    claim.save()
    state = snapshot(claim)
    if span is not None:
        span.claim = claim
        span.save()
        state["evidence"] = [snapshot(span)]
    write_audit(author, "record_claim", claim, None, state, batch)
    track_created(batch, claim)
    return claim
