"""Every headline figure of the small ledger (conftest.py), worked out by hand."""

from __future__ import annotations

import datetime

import pytest

from liaison.analytics.figures import Directions, GroupReach
from liaison.analytics.report import Report, build_report
from liaison.analytics.scope import build_scope
from tests.analytics.conftest import FROM, TO, Ledger


@pytest.fixture
def report(ledger: Ledger) -> Report:
    """The report of 2023-2024, home inferred."""
    return build_report(build_scope(FROM, TO))


def test_home_is_the_country_in_most_exchanges(report: Report, ledger: Ledger) -> None:
    # CHN's actors (H, or H2 in E9) have 13 participations, one per counted exchange;
    # ZAF's (A1, A2) have 5.
    assert report.scope.home == "CHN"
    assert report.scope.home_actor_ids == {ledger.id("H"), ledger.id("H2")}


def test_counterparts_in_contact_by_kind(report: Report) -> None:
    fig = report.figures
    # Counted: E2-E12, E14, E16 = 13 (E0, E1 before, E13 rejected, E15 after the period).
    assert fig.exchanges == 13
    # A1..A9 each take part in a counted exchange; A10 only in E0 (2019).
    assert fig.counterparts == 9
    # party A1 A3 A4 A5 A7; party_organ A2; organization A6 A9; government A8.
    assert fig.counterparts_by_kind == {
        "party": 5,
        "organization": 2,
        "government": 1,
        "party_organ": 1,
    }
    # Parties, the organ A2 counted as its party A1: {A1, A3, A4, A5, A7} = 5.
    assert fig.parties == 5


def test_countries_and_developing_share(report: Report) -> None:
    fig = report.figures
    # ZAF (A1 A2), KEN (A3 A8), VNM (A4), DEU (A5 A6), BRA (A7); A9 has no country.
    assert fig.countries_reached == 5
    # With a country: 8 (A9 left out). Developing: A1 A2 A3 A4 A7 A8 = 6. 6 / 8 = 75 %.
    assert (fig.developing_counterparts, fig.counterparts_with_status) == (6, 8)
    assert fig.developing_share == pytest.approx(75.0)
    assert "IMF" in report.convention


def test_by_region_and_group(report: Report) -> None:
    fig = report.figures
    # Africa A1 A2 A3 A8; Europe A5 A6; Asia A4; Americas A7; no country A9.
    assert fig.counterparts_by_region == {
        "Africa": 4,
        "Europe": 2,
        "(no country)": 1,
        "Americas": 1,
        "Asia": 1,
    }
    groups = {g.code: g for g in fig.counterparts_by_group}
    # AU = ZAF KEN, both reached, by A1 A2 A3 A8.
    assert groups["AU"] == GroupReach("AU", "African Union", 2, 2, 4)
    # BRICS = CHN ZAF BRA; CHN is home (no counterparts); ZAF (A1 A2) and BRA (A7).
    assert groups["BRICS"] == GroupReach("BRICS", "BRICS", 3, 2, 3)
    # OLD on 2024-12-31: DEU left in 2020, VNM joined 2024-06-01 -> {VNM}, reached by A4.
    assert groups["OLD"] == GroupReach("OLD", "A group that changed", 1, 1, 1)


def test_exchanges_by_type_channel_mechanism_unit(report: Report) -> None:
    fig = report.figures
    # meeting E7 E12 E14 E16; visit E2 E3 E9; briefing E5 E10; correspondence E6 E8;
    # conference E4; call E11.
    assert fig.exchanges_by_type == {
        "meeting": 4,
        "visit": 3,
        "briefing": 2,
        "correspondence": 2,
        "call": 1,
        "conference": 1,
    }
    # video E5 E7; written E6 E8; phone E11; in person the other 8.
    assert fig.exchanges_by_channel == {"in_person": 8, "video": 2, "written": 2, "phone": 1}
    # Forum X: E4 E12; Briefing series: E10; the other 10 outside any mechanism.
    assert fig.exchanges_by_mechanism == {
        "(no mechanism)": 10,
        "Forum X": 2,
        "Briefing series": 1,
    }
    assert fig.mechanisms_used == 2
    # africa E2 E3 E11 E12; central E4 E5 E8 E10; europe E6 E7 E14 E16; yunnan E9.
    assert fig.exchanges_by_unit == {
        "central": 4,
        "central.africa": 4,
        "central.europe": 4,
        "province.yunnan": 1,
    }


def test_delegations_briefings_messages(report: Report) -> None:
    fig = report.figures
    # Visits: E2 in ZAF (abroad: sent), E3 in CHN (home: received), E9 no place but the home
    # actor H2 is the guest (sent).
    assert fig.delegations == Directions(sent=2, received=1, unknown=0)
    # Briefings E5, E10; audience A4 A8 (E5), A1 A9 (E10) = 4 counterparts from VNM KEN ZAF
    # (A9 has none) = 3 countries; people P1 P2 P4 = 3 (P3 came for H, a home actor; P1 twice).
    assert fig.briefings == 2
    assert fig.briefing_audience_counterparts == 4
    assert fig.briefing_audience_countries == 3
    assert fig.briefing_audience_people == 3
    # E6: H sends (sent); E8: H receives (received).
    assert fig.messages == Directions(sent=1, received=1, unknown=0)


def test_first_last_contact_and_dormant(report: Report, ledger: Ledger) -> None:
    spans = {s.actor_id: (s.first, s.last, s.exchanges) for s in report.contacts}
    day = datetime.date
    # A1: first E1 (2022, before the period), last E12; in period E2 E4 E10 E12.
    assert spans[ledger.id("A1")] == (day(2022, 6, 1), day(2024, 10, 10), 4)
    # A5: E4 and E6; E13 (2024) is rejected.
    assert spans[ledger.id("A5")] == (day(2023, 7, 1), day(2023, 11, 1), 2)
    # A7: E4 and E8; E15 (2025) is after the period.
    assert spans[ledger.id("A7")] == (day(2023, 7, 1), day(2024, 2, 1), 2)
    # A8: E5 and E16 (internal, but the report's reader sees everything).
    assert spans[ledger.id("A8")] == (day(2023, 9, 15), day(2024, 9, 9), 2)
    assert ledger.id("A10") not in spans  # no exchange in the period
    # Most recent contact first: A1 A3 A4 share 2024-10-10, then by name.
    assert [s.name for s in report.contacts[:3]] == ["ANC", "CPV", "KANU"]
    # Dormant (3 years): last contact on or before 2021-12-31 -> only A10 (2019-03-01).
    assert [(s.name, s.last) for s in report.dormant] == [("Old party", day(2019, 3, 1))]


def test_dormant_with_a_shorter_gap(ledger: Ledger) -> None:
    report = build_report(build_scope(FROM, TO), dormant_years=1)
    # Cut-off 2023-12-31: A10 (2019-03-01), A5 (2023-11-01), A2 (2023-12-01), oldest first.
    assert [s.name for s in report.dormant] == ["Old party", "SPD", "ANC international office"]


def test_countries_with_no_contact(report: Report) -> None:
    # Sovereign, not home, not reached: FRA only (PRI is a territory; CHN is home).
    assert [c.iso3 for c in report.countries_without_contact] == ["FRA"]


def test_growth_year_on_year(report: Report) -> None:
    rows = [
        (y.year, y.exchanges, y.counterparts, y.new_counterparts, y.exchanges_change)
        for y in report.growth
    ]
    # 2023: E2-E7 = 6 exchanges; counterparts A1-A8 = 8; new (first contact in 2023):
    # A2-A8 = 7 (A1 first met in 2022).
    # 2024: E8-E12 E14 E16 = 7 (+16.7 %); counterparts A1 A3 A4 A6 A7 A8 A9 = 7; new A9.
    assert rows == [
        (2023, 6, 8, 7, None),
        (2024, 7, 7, 1, pytest.approx(100 * (7 - 6) / 6)),
    ]
    assert report.growth[1].counterparts_change == pytest.approx(-12.5)  # (7 - 8) / 8
