"""Actions on exchanges, their participants and people, sources, evidence and claims."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
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
from liaison.ledger.actions.rows import insert_rows
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


@dataclass(frozen=True)
class ClaimInput:
    """A published figure, and the span that states it."""

    value: float
    subject: str
    qualifier: str = "exactly"
    as_of: datetime.date | None = None
    evidence: EvidenceInput | None = None
    review_status: ReviewStatus = ReviewStatus.CONFIRMED


def validate_exchange(data: ExchangeInput) -> Country | None:
    """Return the country of an exchange, or raise the LiaisonError that refuses it."""
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
    return _people([data], author, batch)[normalize_name(data.name)]


def _people(
    inputs: Sequence[PersonInput], author: Author, batch: ImportBatch | None
) -> dict[str, Person]:
    """Find the people named, by their lookup form, creating those not known yet."""
    wanted = {normalize_name(p.name): p.name.strip() for p in inputs}
    found: dict[str, Person] = {}
    for person in Person.objects.filter(normalized__in=list(wanted)).order_by("name", "pk"):
        found.setdefault(person.normalized, person)
    new = [Person(name=name, normalized=key) for key, name in wanted.items() if key not in found]
    for person in insert_rows(new):
        created(author, "create_person", person, batch)
        found[person.normalized] = person
    return found


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
    return record_exchanges([data], author, batch)[0]


def record_exchanges(
    items: Sequence[ExchangeInput], author: Author = SYSTEM, batch: ImportBatch | None = None
) -> list[Exchange]:
    """Record exchanges in a few bulk inserts, each as the audited change record_exchange makes."""
    countries = [validate_exchange(data) for data in items]
    # Validated before writing, so no savepoint is needed unless sources are still to be stored
    # (which may refuse one): a savepoint costs two statements, a large share of a bulk ingest.
    savepoint = any(e.stored_source is None for data in items for e in data.evidence)
    with transaction.atomic(savepoint=savepoint):
        return _record_exchanges(items, countries, author, batch)


def _record_exchanges(
    items: Sequence[ExchangeInput],
    countries: list[Country | None],
    author: Author,
    batch: ImportBatch | None,
) -> list[Exchange]:
    exchanges = insert_rows(
        Exchange(**_fields(data, country)) for data, country in zip(items, countries, strict=True)
    )
    pairs = list(zip(exchanges, items, strict=True))
    participations = insert_rows(
        Participation(exchange=exchange, actor=actor, role=role)
        for exchange, data in pairs
        for actor, role in dict.fromkeys(data.participants)
    )
    people = _people([p for data in items for p in data.people], author, batch)
    attendances = insert_rows(
        Attendance(exchange=exchange, person=people[normalize_name(p.name)], role=p.role, org=p.org)
        for exchange, data in pairs
        for p in data.people
    )
    evidence = insert_rows(
        _evidence_row(e, author, batch, exchange=exchange)
        for exchange, data in pairs
        for e in data.evidence
    )
    rows: dict[int, tuple[list[Participation], list[Attendance], list[Evidence]]] = {
        exchange.pk: ([], [], []) for exchange in exchanges
    }
    for participation in participations:
        rows[participation.exchange_id][0].append(participation)
    for attendance in attendances:
        rows[attendance.exchange_id][1].append(attendance)
    for row in evidence:
        rows[row.exchange_id or 0][2].append(row)
    # One entry for each exchange and the rows made with it; deleting it removes them.
    for exchange in exchanges:
        made = rows[exchange.pk]
        state = _state(exchange, made[0], made[1])
        state["evidence"] = [snapshot(row) for row in made[2]]
        write_audit(author, "record_exchange", exchange, None, state, batch)
        track_created(batch, exchange)
    return exchanges


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
    country = validate_exchange(data)
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
    return record_sources([data], author, batch, extracted)[0]


def record_sources(
    items: Sequence[SourceInput],
    author: Author = SYSTEM,
    batch: ImportBatch | None = None,
    extracted: bool = False,
) -> list[tuple[Source, bool]]:
    """Store sources as record_source does, with one lookup and one insert for them all.

    Returns each input's source and whether it was new; a text given twice is stored once.
    """
    digests = [content_hash(data.text) if data.text else "" for data in items]
    urls = {data.url for data in items if data.url}
    # One query finds the same texts, or the earlier versions at the same URLs.
    known = list(
        Source.objects.filter(Q(content_hash__in=set(digests) - {""}) | Q(url__in=urls)).order_by(
            "version", "id"
        )
    )
    by_hash = {s.content_hash: s for s in known if s.content_hash}
    latest = {s.url: s for s in known if s.url}  # ordered by version: the last one wins
    no_text = {s.url: s for s in reversed(known) if s.url and not s.content_hash}
    results: list[tuple[Source, bool]] = []
    new: list[Source] = []
    for data, digest in zip(items, digests, strict=True):
        existing = by_hash.get(digest) if digest else no_text.get(data.url) if data.url else None
        if existing is not None:
            results.append((existing, False))
            continue
        earlier = latest.get(data.url) if digest and data.url else None
        if earlier is not None and earlier.pk is None:
            _store_sources(new, author, batch)  # a version needs the row it supersedes
        source = Source(
            url=data.url,
            title=data.title,
            outlet=data.outlet,
            published=data.published,
            language=data.language,
            content_hash=digest,
            text=data.text,
            doc=data.doc,
            version=earlier.version + 1 if earlier else 1,
            supersedes=earlier,
            # Ingest stores a text with its events in one transaction: stored means extracted.
            extracted_at=timezone.now() if extracted else None,
        )
        new.append(source)
        results.append((source, True))
        if digest:
            by_hash[digest] = source
            if data.url:
                latest[data.url] = source
        elif data.url:
            no_text[data.url] = source
    _store_sources(new, author, batch)
    return results


def _store_sources(sources: list[Source], author: Author, batch: ImportBatch | None) -> None:
    """Insert the sources not stored yet, with their audit entries."""
    unsaved = [source for source in sources if source.pk is None]
    for source in insert_rows(unsaved):
        created(author, "record_source", source, batch)


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


def add_exchange_evidence(
    items: Sequence[tuple[int, EvidenceInput]],
    author: Author = SYSTEM,
    batch: ImportBatch | None = None,
) -> list[Evidence]:
    """Attach spans to exchanges given by id, in one insert, each audited as add_evidence."""
    rows = []
    for exchange_id, data in items:
        row = _evidence_row(data, author, batch)
        row.exchange_id = exchange_id
        rows.append(row)
    evidence = insert_rows(rows)
    for row in evidence:
        created(author, "add_evidence", row, batch)
    return evidence


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
    data = ClaimInput(value, subject, qualifier, as_of, evidence, review_status)
    return record_claims([data], author, batch)[0]


def record_claims(
    items: Sequence[ClaimInput], author: Author = SYSTEM, batch: ImportBatch | None = None
) -> list[Claim]:
    """Record claims in a few bulk inserts, each as the audited change record_claim makes."""
    savepoint = any(d.evidence is not None and d.evidence.stored_source is None for d in items)
    with transaction.atomic(savepoint=savepoint):
        spans = [_evidence_row(d.evidence, author, batch) if d.evidence else None for d in items]
        claims = insert_rows(
            Claim(
                value=d.value,
                qualifier=d.qualifier,
                subject=d.subject,
                as_of=d.as_of,
                review_status=d.review_status,
                source=span.source if span else None,
            )
            for d, span in zip(items, spans, strict=True)
        )
        for claim, span in zip(claims, spans, strict=True):
            if span is not None:
                span.claim = claim
        insert_rows(span for span in spans if span is not None)
        for claim, span in zip(claims, spans, strict=True):
            state = snapshot(claim)
            if span is not None:
                state["evidence"] = [snapshot(span)]
            write_audit(author, "record_claim", claim, None, state, batch)
            track_created(batch, claim)
    return claims
