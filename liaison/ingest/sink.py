"""Write what extraction found into the ledger: one exchange per real-world exchange."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

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
from liaison.ledger.actions import Author, EvidenceInput, ExchangeInput, SourceInput
from liaison.ledger.models import (
    Actor,
    Country,
    Exchange,
    ImportBatch,
    Participation,
    QuarantinedInput,
    Source,
)

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


def _overlaps(date: PartialDate, theirs: PartialDate) -> bool:
    mine = (date.first_day - timedelta(SAME_EXCHANGE_DAYS), date.last_day)
    return theirs.first_day <= mine[1] + timedelta(SAME_EXCHANGE_DAYS) and (
        theirs.last_day >= mine[0]
    )


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
        self.touched: set[int] = set()
        # Documents with events that neither they nor --published date.
        self.undated: list[str] = []

    def done(self, hashes: list[str]) -> set[str]:
        """Return which of these texts already have their events and claims in the ledger."""
        stored = Source.objects.filter(content_hash__in=hashes, extracted_at__isnull=False)
        return set(stored.values_list("content_hash", flat=True))

    def write(self, document: Document, result: ExtractionResult) -> None:
        """Store one document and everything found in it (the caller holds the transaction)."""
        source_input = SourceInput(
            url=document.url,
            title=document.title,
            outlet=document.outlet,
            published=document.published,
            text=document.text,
            doc=document.doc,
        )
        source, new = actions.record_source(source_input, self.author, self.batch, extracted=True)
        if not new and source.extracted_at is not None:
            self.counts.add("documents repeated")  # the same text twice in one run
            return
        self.touched = set()
        self.counts.add("sources new" if new else "sources known")
        if source.version > 1 and new:
            self.counts.add("sources new version")
        for event in result.events:
            self._event(event, source, source_input, document)
        for claim in result.claims:
            self._claim(claim, source, source_input, document)
        if not new:
            actions.mark_extracted(source, self.author, self.batch)
        if document.doc in self.quarantined:
            actions.release_input(document.doc, self.author, self.batch)

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

    def _same_exchange(self, data: ExchangeInput) -> int | None:
        """Find the exchange another report of this event already recorded."""
        ids = {actor.pk for actor, _ in data.participants}
        mine = {self.actors.root(pk) for pk in ids}
        rows = (
            Participation.objects.order_by()
            .filter(
                exchange__date__gte=data.date.first_day - timedelta(days=31 + SAME_EXCHANGE_DAYS),
                exchange__date__lte=data.date.last_day + timedelta(days=SAME_EXCHANGE_DAYS),
                exchange__participations__actor__in=ids | mine | self.actors.members(mine),
            )
            .values_list(
                "exchange_id",
                "actor_id",
                "exchange__type",
                "exchange__date",
                "exchange__date_precision",
            )
        )
        found: dict[int, tuple[set[int], str, PartialDate]] = {}
        for exchange_id, actor_id, kind, day, precision in rows.distinct():
            entry = found.setdefault(
                exchange_id, (set(), kind, PartialDate.from_date(day, DatePrecision(precision)))
            )
            entry[0].add(self.actors.root(actor_id))
        best: tuple[int, int] | None = None
        for exchange_id, (theirs, kind, when) in sorted(found.items()):
            shared = len(mine & theirs)
            if shared < min(2, len(mine), len(theirs)) or exchange_id in self.touched:
                continue
            same = _compatible(kind, data.type) and _overlaps(data.date, when)
            if same and (best is None or shared > best[0]):
                best = (shared, exchange_id)
        return best[1] if best else None

    def _event(
        self, event: ExtractedEvent, source: Source, source_input: SourceInput, document: Document
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
            evidence=(evidence,),
        )
        existing = self._same_exchange(data)
        try:
            if existing is None:
                exchange = actions.record_exchange(data, self.author, self.batch)
                self.touched.add(exchange.pk)
                self.counts.add("exchanges new")
            else:
                self.touched.add(existing)
                exchange = Exchange.objects.get(pk=existing)
                actions.add_evidence(evidence, exchange, author=self.author, batch=self.batch)
                self.counts.add("exchanges also reported")
        except LiaisonError:
            self.counts.add("events not recorded")

    def _claim(
        self, claim: ExtractedClaim, source: Source, source_input: SourceInput, document: Document
    ) -> None:
        actions.record_claim(
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
            author=self.author,
            batch=self.batch,
        )
        self.counts.add("claims")
