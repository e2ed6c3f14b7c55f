"""Write what extraction found into the ledger: one exchange per real-world exchange."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    Channel,
    DatePrecision,
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
)
from liaison.domain.errors import LiaisonError
from liaison.domain.events import ExtractedClaim, ExtractedEvent
from liaison.extract.run import ExtractionResult
from liaison.ingest.documents import Document
from liaison.ingest.resolve import ActorResolver, MechanismResolver, is_actor_name
from liaison.ledger import actions
from liaison.ledger.actions import (
    Author,
    ClaimInput,
    EvidenceInput,
    ExchangeInput,
    SourceInput,
)
from liaison.ledger.models import (
    Actor,
    Country,
    ImportBatch,
    QuarantinedInput,
    Source,
)
from liaison.ledger.queries import exchanges_near

# Reports of one exchange by several outlets date it a day apart at most.
SAME_EXCHANGE_DAYS = 1
# Types that outlets use for the same exchange ("held talks" and "visited").
_COMPATIBLE = {
    frozenset({ExchangeType.MEETING, ExchangeType.VISIT}),
    frozenset({ExchangeType.MEETING, ExchangeType.CONFERENCE}),
    frozenset({ExchangeType.MEETING, ExchangeType.CALL}),
}


@dataclass
class SinkCounts:
    """What a run wrote."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, value: int = 1) -> None:
        """Count something."""
        self.counts[name] += value


def _compatible(a: str, b: str) -> bool:
    return a == b or frozenset({ExchangeType(a), ExchangeType(b)}) in _COMPATIBLE


@cache
def _compatible_types(kind: str) -> tuple[str, ...]:
    return tuple(other.value for other in ExchangeType if _compatible(other, kind))


def _overlaps(date: PartialDate, theirs: PartialDate) -> bool:
    mine = (date.first_day - timedelta(SAME_EXCHANGE_DAYS), date.last_day)
    return theirs.first_day <= mine[1] + timedelta(SAME_EXCHANGE_DAYS) and (
        theirs.last_day >= mine[0]
    )


@dataclass(eq=False)
class _NewExchange:
    """An exchange found in this batch, written when the batch ends."""

    data: ExchangeInput
    roots: set[int]
    evidence: list[EvidenceInput]


# An exchange a report may belong to: stored (its id) or found earlier in this batch.
Known = int | _NewExchange


@dataclass
class _Pending:
    """What a batch of documents will write: new exchanges, more evidence, claims."""

    exchanges: list[_NewExchange] = field(default_factory=list)
    evidence: list[tuple[int, EvidenceInput]] = field(default_factory=list)
    claims: list[ClaimInput] = field(default_factory=list)


class LedgerSink:
    """Records the events and claims of documents through ledger actions, for review."""

    def __init__(self, author: Author, batch: ImportBatch | None) -> None:
        self.author = author
        self.batch = batch
        self.actors = ActorResolver(author)
        self.mechanisms = MechanismResolver()
        self.countries = set(Country.objects.values_list("iso3", flat=True))
        self.counts = SinkCounts()
        self.quarantined = set(
            QuarantinedInput.objects.filter(resolved_at=None).values_list("doc", flat=True)
        )
        # The exchanges this document has told of so far (a text's two events stay two).
        self.touched: set[Known] = set()
        # Documents with events that neither they nor --published date.
        self.undated: list[str] = []

    def done(self, hashes: list[str]) -> set[str]:
        """Return which of these texts already have their events and claims in the ledger."""
        stored = Source.objects.filter(content_hash__in=hashes, extracted_at__isnull=False)
        return set(stored.values_list("content_hash", flat=True))

    def write(self, items: list[tuple[Document, ExtractionResult]]) -> None:
        """Store documents and everything found in them (the caller holds the transaction).

        Each kind of row is written in one bulk insert per call: a batch of documents costs a
        few dozen statements rather than a few for every row.
        """
        inputs = [_source_input(document) for document, _ in items]
        stored = actions.record_sources(inputs, self.author, self.batch, extracted=True)
        pending = _Pending()
        for (document, result), source_input, (source, new) in zip(
            items, inputs, stored, strict=True
        ):
            if not new and source.extracted_at is not None:
                self.counts.add("documents repeated")  # the same text twice in one run
                continue
            self.touched = set()
            self.counts.add("sources new" if new else "sources known")
            if source.version > 1 and new:
                self.counts.add("sources new version")
            for event in result.events:
                self._event(event, source, source_input, document, pending)
            for claim in result.claims:
                pending.claims.append(_claim(claim, source, source_input, document))
                self.counts.add("claims")
            if not new:
                actions.mark_extracted(source, self.author, self.batch)
            if document.doc in self.quarantined:
                actions.release_input(document.doc, self.author, self.batch)
        actions.record_exchanges(
            [replace(new.data, evidence=tuple(new.evidence)) for new in pending.exchanges],
            self.author,
            self.batch,
        )
        actions.add_exchange_evidence(pending.evidence, self.author, self.batch)
        actions.record_claims(pending.claims, self.author, self.batch)

    def _participants(self, event: ExtractedEvent) -> list[tuple[Actor, ParticipantRole]]:
        chosen: dict[int, ParticipantRole] = {}
        for mention in event.participants:
            if not is_actor_name(mention.name):
                continue
            pk, created = self.actors.resolve(mention, self.batch)
            if pk is None:
                self.counts.add("mentions of rejected actors")
                continue
            self.counts.add("actors proposed" if created else "actors resolved")
            role = ParticipantRole(mention.role or ParticipantRole.PARTICIPANT)
            chosen.setdefault(pk, role)
        return [(self.actors.actor(pk), role) for pk, role in chosen.items()]

    def _same_exchange(self, data: ExchangeInput, pending: _Pending) -> Known | None:
        """Find the exchange another report of this event recorded, in the ledger or this batch."""
        ids = {actor.pk for actor, _ in data.participants}
        mine = {self.actors.root(pk) for pk in ids}
        # A report is the same exchange when it shares two parties with it (one, if either
        # side has only one), is of a compatible type and overlaps its dates: the ledger sends
        # back only exchanges that can pass those tests (a month's may start 31 days earlier).
        rows = exchanges_near(
            ids | mine | self.actors.members(mine),
            data.date.first_day - timedelta(days=31 + SAME_EXCHANGE_DAYS),
            data.date.last_day + timedelta(days=SAME_EXCHANGE_DAYS),
            shared=min(2, len(mine)),
            types=_compatible_types(data.type),
            first_exact=data.date.first_day - timedelta(days=SAME_EXCHANGE_DAYS),
        )
        found: dict[int, tuple[set[int], str, PartialDate]] = {}
        for exchange_id, actor_id, kind, day, precision in rows:
            entry = found.setdefault(
                exchange_id, (set(), kind, PartialDate.from_date(day, DatePrecision(precision)))
            )
            entry[0].add(self.actors.root(actor_id))
        # Stored exchanges first, in the order they were made, then this batch's in order.
        candidates: list[tuple[Known, set[int], str, PartialDate]] = [
            (pk, *found[pk]) for pk in sorted(found)
        ]
        candidates += [(new, new.roots, new.data.type, new.data.date) for new in pending.exchanges]
        best: tuple[int, Known] | None = None
        for known, theirs, kind, when in candidates:
            shared = len(mine & theirs)
            if shared < min(2, len(mine), len(theirs)) or known in self.touched:
                continue
            same = _compatible(kind, data.type) and _overlaps(data.date, when)
            if same and (best is None or shared > best[0]):
                best = (shared, known)
        return best[1] if best else None

    def _event(
        self,
        event: ExtractedEvent,
        source: Source,
        source_input: SourceInput,
        document: Document,
        pending: _Pending,
    ) -> None:
        date = PartialDate.parse(event.date) if event.date else None
        if date is None and document.published is not None:
            date = PartialDate.from_date(document.published, DatePrecision.DAY)
        participants = self._participants(event)
        if not participants:
            self.counts.add("events without a counterpart")
            return
        if date is None:
            # Neither the event nor its text is dated (a dateline without a year): not guessed.
            self.counts.add("events without a date")
            self.undated.append(document.doc)
            return
        mechanism = self.mechanisms.find(event.mechanism)
        country = event.location.country if event.location.country in self.countries else None
        evidence = EvidenceInput(
            source=source_input,
            text=event.evidence.text,
            start=event.evidence.start,
            end=event.evidence.end,
            confidence=event.confidence,
            stored_source=source,
        )
        summary = event.evidence.text[:1000]
        if event.mechanism and mechanism is None:
            summary = f"{summary}\n(At: {event.mechanism})"
        data = ExchangeInput(
            type=ExchangeType(event.type),
            date=date,
            participants=tuple(participants),
            channel=Channel(event.mode),
            city=event.location.city or "",
            country=country,
            mechanism=mechanism,
            topics=event.topics,
            summary=summary,
            review_status=ReviewStatus.PROPOSED,
            people=tuple(actions.PersonInput(p.name, p.role or "") for p in event.people),
        )
        try:
            actions.validate_exchange(data)
        except LiaisonError:
            self.counts.add("events not recorded")
            return
        existing = self._same_exchange(data, pending)
        if existing is None:
            roots = {self.actors.root(actor.pk) for actor, _ in data.participants}
            existing = _NewExchange(data, roots, [evidence])
            pending.exchanges.append(existing)
            self.counts.add("exchanges new")
        elif isinstance(existing, _NewExchange):
            existing.evidence.append(evidence)
            self.counts.add("exchanges also reported")
        else:
            pending.evidence.append((existing, evidence))
            self.counts.add("exchanges also reported")
        self.touched.add(existing)


def _source_input(document: Document) -> SourceInput:
    return SourceInput(
        url=document.url,
        title=document.title,
        outlet=document.outlet,
        published=document.published,
        text=document.text,
        doc=document.doc,
    )


def _claim(
    claim: ExtractedClaim, source: Source, source_input: SourceInput, document: Document
) -> ClaimInput:
    return ClaimInput(
        claim.value,
        claim.subject,
        claim.qualifier,
        as_of=document.published,
        evidence=EvidenceInput(
            source=source_input,
            text=claim.evidence.text,
            start=claim.evidence.start,
            end=claim.evidence.end,
            stored_source=source,
        ),
        review_status=ReviewStatus.PROPOSED,
    )
