"""The bulk actions ingest writes with leave the same rows and audit entries as one at a time."""

from __future__ import annotations

import pytest

from liaison.domain.dates import PartialDate
from liaison.domain.enums import ExchangeType, ParticipantRole
from liaison.ledger import actions
from liaison.ledger.models import Attendance, AuditEntry, Evidence, ImportChange, Person, Source
from tests.factories import make_actor

pytestmark = pytest.mark.django_db


def _source(text: str, url: str = "") -> actions.SourceInput:
    return actions.SourceInput(url=url, title="T", text=text)


def test_a_text_given_twice_in_one_call_is_stored_once_and_only_the_first_is_new() -> None:
    stored = actions.record_sources([_source("Talks in Lusaka."), _source("Talks in Lusaka.")])

    assert [new for _, new in stored] == [True, False]
    assert stored[0][0].pk == stored[1][0].pk
    assert Source.objects.count() == 1


def test_new_texts_at_one_url_in_one_call_become_versions_of_each_other() -> None:
    url = "https://example.org/news/1"
    actions.record_source(_source("First text.", url))

    stored = actions.record_sources([_source("Second text.", url), _source("Third text.", url)])

    second, third = (source for source, _ in stored)
    assert (second.version, third.version) == (2, 3)
    assert third.supersedes_id == second.pk
    assert second.supersedes is not None and second.supersedes.version == 1


def test_a_known_text_is_found_not_stored_again() -> None:
    first, new = actions.record_source(_source("Known text."))

    stored = actions.record_sources([_source("Known text."), _source("Other text.")])

    assert new
    assert stored[0] == (first, False)
    assert stored[1][1] is True
    assert Source.objects.count() == 2


def test_the_audit_entry_of_a_source_keeps_its_hash_not_its_text() -> None:
    source, _ = actions.record_source(_source("A text that is stored once."))

    entry = AuditEntry.objects.get(action="record_source", object_id=str(source.pk))
    assert entry.after is not None
    assert entry.after["content_hash"] == source.content_hash
    assert "text" not in entry.after


def test_exchanges_recorded_together_each_get_their_own_audit_entry_and_rows() -> None:
    home, guest, other = make_actor("Home Party"), make_actor("Guest Party"), make_actor("Other")
    batch = actions.open_batch("test", "bulk", "x")
    source, _ = actions.record_source(_source("Both meetings took place."))
    items = [
        actions.ExchangeInput(
            type=ExchangeType.MEETING,
            date=PartialDate(2024, 5, day),
            participants=((home, ParticipantRole.HOST), (party, ParticipantRole.GUEST)),
            people=(actions.PersonInput("Ana Lima", "minister"),),
            evidence=(
                actions.EvidenceInput(
                    source=_source(""), text="took place", start=17, end=27, stored_source=source
                ),
            ),
        )
        for day, party in ((3, guest), (4, other))
    ]

    exchanges = actions.record_exchanges(items, batch=batch)

    entries = AuditEntry.objects.filter(action="record_exchange").order_by("id")
    assert [e.object_id for e in entries] == [str(x.pk) for x in exchanges]
    for exchange, entry in zip(exchanges, entries, strict=True):
        assert entry.after is not None
        assert [row[1] for row in entry.after["participants"]] == sorted(
            exchange.participations.values_list("actor_id", flat=True)
        )
        assert len(entry.after["evidence"]) == 1
    # The same person at both is one person, created once.
    assert Person.objects.filter(name="Ana Lima").count() == 1
    assert Attendance.objects.count() == 2
    assert Evidence.objects.filter(exchange__in=exchanges).count() == 2
    created = ImportChange.objects.filter(batch=batch, model="Exchange", operation="create")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(
        str(x.pk) for x in exchanges
    )


def test_evidence_added_by_exchange_id_is_audited_like_add_evidence() -> None:
    home, guest = make_actor("Home Party"), make_actor("Guest Party")
    exchange = actions.record_exchange(
        actions.ExchangeInput(
            type=ExchangeType.MEETING,
            date=PartialDate(2024, 5, 3),
            participants=((home, ParticipantRole.HOST), (guest, ParticipantRole.GUEST)),
        )
    )
    source, _ = actions.record_source(_source("Another outlet told of it."))
    span = actions.EvidenceInput(
        source=_source(""), text="told of it", start=16, end=26, stored_source=source
    )

    rows = actions.add_exchange_evidence([(exchange.pk, span)])

    assert [row.exchange_id for row in rows] == [exchange.pk]
    assert AuditEntry.objects.filter(action="add_evidence", object_id=str(rows[0].pk)).exists()


def test_claims_recorded_together_keep_their_own_evidence() -> None:
    source, _ = actions.record_source(_source("Over 600 parties and 160 countries."))
    items = [
        actions.ClaimInput(
            value,
            subject,
            "over",
            evidence=actions.EvidenceInput(
                source=_source(""), text=text, start=start, end=end, stored_source=source
            ),
        )
        for value, subject, text, start, end in (
            (600, "parties", "Over 600 parties", 0, 16),
            (160, "countries", "160 countries", 21, 34),
        )
    ]

    claims = actions.record_claims(items)

    assert [c.evidence.get().text for c in claims] == ["Over 600 parties", "160 countries"]
    assert all(c.source_id == source.pk for c in claims)
    assert AuditEntry.objects.filter(action="record_claim").count() == 2
