"""Every action writes the ledger through one path, with an audit entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    ActorKind,
    Channel,
    ExchangeType,
    GovernmentStatus,
    NameType,
    ParticipantRole,
    ReviewStatus,
    UserRole,
)
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions
from liaison.ledger.models import AuditEntry, Exchange, Source
from tests.factories import make_actor, make_country, make_exchange, make_unit

pytestmark = pytest.mark.django_db


def _new_audit(run: Callable[[], Any]) -> list[AuditEntry]:
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    run()
    return list(AuditEntry.objects.filter(id__gt=last).order_by("id"))


def _evidence() -> actions.EvidenceInput:
    source = actions.SourceInput(url="https://example.org/a", title="A", text="They met in May.")
    return actions.EvidenceInput(source=source, text="They met in May.", start=0, end=16)


ACTIONS: dict[str, Callable[[], Any]] = {
    "create_actor": lambda: make_actor("Green Future Party"),
    "update_actor": lambda: actions.update_actor(make_actor(), {"family": "green"}),
    "add_actor_name": lambda: actions.add_actor_name(
        make_actor(), actions.NameInput("GFP", NameType.ABBREVIATION)
    ),
    "add_actor_status": lambda: actions.add_actor_status(
        make_actor(), actions.StatusInput(GovernmentStatus.RULING)
    ),
    "add_position": lambda: actions.add_position(
        "Solly Mapaila", make_actor(), "general secretary"
    ),
    "add_external_id": lambda: actions.add_external_id(make_actor(), "wikidata", "Q1"),
    "record_exchange": lambda: make_exchange(),
    "update_exchange": lambda: actions.update_exchange(
        make_exchange(),
        actions.ExchangeInput(
            type=ExchangeType.CALL,
            date=PartialDate(2024, 5),
            channel=Channel.PHONE,
            participants=((make_actor(), ParticipantRole.PARTICIPANT),),
        ),
    ),
    "review_exchange": lambda: actions.set_exchange_review_status(
        make_exchange(review_status=ReviewStatus.PROPOSED), ReviewStatus.CONFIRMED
    ),
    "review_actor": lambda: actions.set_actor_review_status(make_actor(), ReviewStatus.REJECTED),
    "delete_exchange": lambda: actions.delete_exchange(make_exchange()),
    "record_claim": lambda: actions.record_claim(600, "political parties", "more than"),
    "record_source": lambda: actions.record_source(actions.SourceInput(text="A short text.")),
    "add_evidence": lambda: actions.add_evidence(_evidence(), exchange=make_exchange()),
    "create_unit": lambda: actions.create_unit("province.x", "Province X"),
    "create_user": lambda: actions.create_user(
        "viewer1", "a long test password", UserRole.VIEWER, make_unit(), check_password=False
    ),
    "create_country": lambda: make_country("BRA", "Brazil"),
    "merge_actors": lambda: actions.merge_actors(make_actor(), make_actor()),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_writes_its_audit_entry(action: str) -> None:
    entries = _new_audit(ACTIONS[action])
    assert action in {e.action for e in entries}
    entry = next(e for e in entries if e.action == action)
    assert entry.object_type and entry.object_id
    assert entry.before is not None or entry.after is not None


def test_audit_entry_is_append_only() -> None:
    make_actor()
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_update_actor_without_change_writes_nothing() -> None:
    actor = make_actor(family="green")
    assert _new_audit(lambda: actions.update_actor(actor, {"family": "green"})) == []


def test_update_actor_records_before_and_after() -> None:
    actor = make_actor(family="green")
    (entry,) = _new_audit(lambda: actions.update_actor(actor, {"family": "socialist"}))
    assert entry.before is not None and entry.after is not None
    assert (entry.before["family"], entry.after["family"]) == ("green", "socialist")


def test_record_exchange_keeps_date_precision() -> None:
    exchange = make_exchange(when="2021-07")
    exchange.refresh_from_db()
    assert exchange.partial_date == PartialDate(2021, 7)
    assert exchange.date_precision == "month"


def test_record_exchange_refuses_end_before_start() -> None:
    from datetime import date

    with pytest.raises(LiaisonError, match="before the date"):
        make_exchange(when="2024-05-14", end_date=date(2024, 5, 1))


def test_record_exchange_refuses_unknown_country() -> None:
    with pytest.raises(LiaisonError, match="not a known country"):
        make_exchange(country="XXX")
    assert Exchange.objects.count() == 0


def test_record_exchange_stores_people_and_evidence() -> None:
    host = make_actor("African National Congress")
    exchange = make_exchange(
        host,
        make_actor(),
        people=(actions.PersonInput("Fikile Mbalula", "secretary general", host),),
        evidence=(_evidence(),),
    )
    assert exchange.attendances.get().person.name == "Fikile Mbalula"
    assert exchange.evidence.get().source.url == "https://example.org/a"


def test_record_source_stores_same_text_once() -> None:
    first, created = actions.record_source(actions.SourceInput(text="Same text."))
    second, created_again = actions.record_source(actions.SourceInput(text="Same text."))
    assert (created, created_again) == (True, False)
    assert first.pk == second.pk and Source.objects.count() == 1


def test_add_external_id_refuses_id_of_another_actor() -> None:
    actions.add_external_id(make_actor(), "partyfacts", "42")
    with pytest.raises(LiaisonError, match="already belongs"):
        actions.add_external_id(make_actor(), "partyfacts", "42")


def test_create_user_rejects_weak_password() -> None:
    with pytest.raises(LiaisonError):
        actions.create_user("weak", "123", UserRole.VIEWER, make_unit())


def test_create_actor_needs_a_name() -> None:
    with pytest.raises(LiaisonError, match="needs a name"):
        actions.create_actor(actions.ActorInput(name=" ", kind=ActorKind.PARTY))
