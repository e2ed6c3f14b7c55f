"""Scoping by unit, period, review status and reader, on the small ledger (conftest.py)."""

from __future__ import annotations

import datetime

import pytest

from liaison.analytics.report import build_report
from liaison.analytics.scope import build_scope
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions
from tests.analytics.conftest import FROM, TO, Ledger


def test_unit_counts_its_subtree(ledger: Ledger) -> None:
    # central.africa: E2 E3 E11 E12 = 4 exchanges with A1 (E2 E12), A3 (E3 E11 E12), A4 (E12).
    africa = build_report(build_scope(FROM, TO, "central.africa"), "central.africa").figures
    assert (africa.exchanges, africa.counterparts) == (4, 3)
    # central and the units below it: all 13 but E9 (province.yunnan) = 12.
    central = build_report(build_scope(FROM, TO, "central")).figures
    assert central.exchanges == 12
    assert central.exchanges_by_unit == {"central": 4, "central.africa": 4, "central.europe": 4}
    # Without E9 the only unplaced visit is gone: delegations sent = E2 only.
    assert central.delegations.sent == 1


def test_unknown_unit_is_an_error(ledger: Ledger) -> None:
    with pytest.raises(LiaisonError):
        build_scope(FROM, TO, "no.such.unit")


def test_period(ledger: Ledger) -> None:
    # 2024 only: E8 E9 E10 E11 E12 E14 E16 = 7; counterparts A1 A3 A4 A6 A7 A8 A9 = 7.
    year = build_report(build_scope(datetime.date(2024, 1, 1), TO)).figures
    assert (year.exchanges, year.counterparts) == (7, 7)
    # The whole record (no bounds): + E0 E1 (before) + E15 (after) = 16 (E13 rejected);
    # A10 comes in: 10 counterparts.
    everything = build_report(build_scope()).figures
    assert (everything.exchanges, everything.counterparts) == (16, 10)
    with pytest.raises(LiaisonError):
        build_scope(TO, FROM)


def test_reviewed_only_and_reader(ledger: Ledger) -> None:
    # Reviewed only: E14 (proposed) goes; A6 still met in E7: 12 exchanges, 9 counterparts.
    reviewed = build_report(build_scope(FROM, TO, reviewed_only=True)).figures
    assert (reviewed.exchanges, reviewed.counterparts) == (12, 9)
    # A reader of no unit sees public exchanges only: E16 (internal) goes; A8 met in E5.
    public = build_report(build_scope(FROM, TO, visible_units=frozenset())).figures
    assert (public.exchanges, public.counterparts) == (12, 9)
    # A reader of central.europe sees E16 again.
    europe = ledger.units["europe"].pk
    reader = build_report(build_scope(FROM, TO, visible_units=frozenset({europe}))).figures
    assert reader.exchanges == 13


def test_home_can_be_named(ledger: Ledger) -> None:
    # With ZAF as home, A1 A2 A10 are home actors and CHN's H, H2 are counterparts.
    report = build_report(build_scope(FROM, TO, home="zaf"))
    assert report.scope.home == "ZAF"
    ids = {s.actor_id for s in report.contacts}
    assert ledger.id("H") in ids and ledger.id("A1") not in ids


def test_a_merged_actor_counts_as_the_one_it_joined(ledger: Ledger) -> None:
    actions.merge_actors(ledger.actors["A1"], ledger.actors["A2"])
    figures = build_report(build_scope(FROM, TO)).figures
    # A2's part in E7 moves to A1: 8 counterparts (A1 A3-A9), no party organ any more.
    assert figures.counterparts == 8
    assert "party_organ" not in figures.counterparts_by_kind
    assert figures.parties == 5
