"""The bulk actions' inserts write what bulk_create writes, and give the rows their ids."""

from __future__ import annotations

import datetime

import pytest

from liaison.domain.enums import ExchangeType, ParticipantRole
from liaison.ledger.actions.rows import insert_rows, insert_rows_without_ids
from liaison.ledger.models import AuditEntry, Exchange, Participation, Source
from tests.factories import make_actor

pytestmark = pytest.mark.django_db


def _stored(model: type[Exchange] | type[Source], pk: int) -> dict[str, object]:
    row = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at")}


def test_rows_get_their_ids_in_order_and_read_back_as_bulk_create_writes_them() -> None:
    def exchange(day: int) -> Exchange:
        return Exchange(
            type=ExchangeType.MEETING,
            date=datetime.date(2024, 5, day),
            topics=["trade"],
            city="Lima",
        )

    ours = insert_rows(exchange(day) for day in (3, 4, 5))
    django_s = Exchange.objects.bulk_create(exchange(day) for day in (3, 4, 5))

    assert [row.pk for row in ours] == sorted(row.pk for row in ours)
    assert all(not row._state.adding for row in ours)
    for mine, theirs in zip(ours, django_s, strict=True):
        assert _stored(Exchange, mine.pk) == _stored(Exchange, theirs.pk)
        assert Exchange.objects.get(pk=mine.pk).date == mine.date


def test_a_row_built_before_its_parent_was_saved_takes_the_parent_s_id() -> None:
    actor = make_actor("Labour Party")
    parent = Exchange(type=ExchangeType.VISIT, date=datetime.date(2023, 1, 9))
    child = Participation(exchange=parent, actor=actor, role=ParticipantRole.HOST)

    insert_rows([parent])
    insert_rows([child])

    assert Participation.objects.get(pk=child.pk).exchange_id == parent.pk


def test_more_rows_than_one_statement_holds_are_inserted_in_chunks_each_with_its_id() -> None:
    days = [datetime.date(2020, 1, 1) + datetime.timedelta(days=n) for n in range(150)]
    # SQLite takes 999 values a statement: about fifty exchanges' worth.
    rows = insert_rows(Exchange(type=ExchangeType.CALL, date=day) for day in days)

    assert len({row.pk for row in rows}) == 150
    stored = dict(Exchange.objects.values_list("pk", "date"))
    assert stored == {row.pk: day for row, day in zip(rows, days, strict=True)}


def test_rows_without_ids_are_written_whole_with_their_json_and_timestamps() -> None:
    before = {"name": "Old <name>", "when": "2020-01-01"}
    entries = [
        AuditEntry(action="edit", object_type="Actor", object_id=str(n), before=before, after=None)
        for n in range(3)
    ]

    insert_rows_without_ids(entries)

    stored = list(AuditEntry.objects.filter(action="edit").order_by("id"))
    assert [entry.object_id for entry in stored] == ["0", "1", "2"]
    assert all(entry.before == before and entry.after is None for entry in stored)
    assert all(entry.at is not None for entry in stored)  # auto_now_add, as bulk_create sets it
