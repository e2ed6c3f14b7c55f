"""The timeline: exchanges per month or year, stacked by type, with the shared filters."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from django.test import Client

from liaison.domain.enums import ExchangeType, ReviewStatus, UserRole
from liaison.web.views.dashboard import year_bars
from liaison.web.views.timeline import (
    HEIGHT,
    Period,
    choose_granularity,
    lay_out,
    nice_step,
)
from tests.factories import make_exchange, make_user
from tests.web.conftest import Ledger, body

pytestmark = pytest.mark.django_db


def table(page: str) -> dict[str, int]:
    """Return the periods of the figures table with their totals."""
    rows = re.findall(r'<tr><td>([^<]+)</td><td class="num">(\d+)</td>', page)
    return {period: int(total) for period, total in rows}


def test_a_short_span_is_shown_by_month(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/timeline/"))
    assert table(page) == {"Jun 2023": 1, "May 2024": 1}
    assert page.count('<g class="period">') == 12  # June 2023 to May 2024, empty months too
    assert '<strong aria-current="true">month</strong>' in page
    assert "2 exchanges by month" in page


def test_by_year_each_segment_links_to_its_exchanges(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/timeline/?by=year"))
    assert table(page) == {"2023": 1, "2024": 1}
    assert 'href="/exchanges/?year=2024&amp;type=meeting"' in page
    assert 'href="/exchanges/?year=2023&amp;type=call"' in page
    assert "<title>2024 · Meeting: 1 (of 1)</title>" in page


def test_the_internal_exchange_shows_for_its_unit_only(
    client: Client, logged_in: Client, ledger: Ledger
) -> None:
    assert "Mar 2022" not in table(body(logged_in.get("/timeline/")))
    client.force_login(make_user("asia_viewer", UserRole.VIEWER, ledger.asia))
    page = body(client.get("/timeline/"))
    assert table(page) == {"Mar 2022": 1, "Jun 2023": 1, "May 2024": 1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("channel=video", {"Jun 2023": 1}),
        ("type=meeting", {"May 2024": 1}),
        ("start=2024&end=2024", {"May 2024": 1}),
        ("region=Europe", {}),
    ],
)
def test_filters_narrow_the_timeline(
    logged_in: Client, ledger: Ledger, query: str, expected: dict[str, int]
) -> None:
    page = body(logged_in.get(f"/timeline/?{query}"))
    assert table(page) == expected
    if not expected:
        assert "No exchanges with these filters." in page


def test_types_stack_in_one_bar_and_rejected_exchanges_are_left_out(
    logged_in: Client, ledger: Ledger
) -> None:
    make_exchange(ledger.anc, ledger.swapo, when="2024-05-20", type=ExchangeType.VISIT)
    make_exchange(ledger.anc, ledger.swapo, when="2024-05-21", review_status=ReviewStatus.REJECTED)
    page = body(logged_in.get("/timeline/?by=year"))
    assert table(page) == {"2023": 1, "2024": 2}
    assert "<td>Meeting 1, Visit 1</td>" in page


def test_a_long_span_is_shown_by_year(ledger: Ledger) -> None:
    assert choose_granularity("", [1995, 2024]) == "year"
    assert choose_granularity("", [2022, 2024]) == "month"
    assert choose_granularity("month", [1995, 2024]) == "month"
    assert choose_granularity("", []) == "year"


def test_the_bars_stack_up_to_their_totals() -> None:
    counts = {
        Period(2020, None): {"meeting": 3, "call": 1},
        Period(2022, None): {"visit": 8},
    }
    chart = lay_out(counts, "year")
    assert [c.period.year for c in chart.columns] == [2020, 2021, 2022]
    first, empty, last = chart.columns
    assert (first.total, empty.total, last.total) == (4, 0, 8)
    assert [s.type for s in first.segments] == ["meeting", "call"]  # in the order of the types
    scale = last.segments[0].height / 8
    assert sum(s.height for s in first.segments) == pytest.approx(4 * scale, abs=0.2)
    assert last.segments[0].y + last.segments[0].height <= HEIGHT
    assert [value for value, _ in chart.ticks] == [0, 2, 4, 6, 8]
    assert [text for text, _ in chart.legend] == ["meeting", "visit", "call"]


def test_months_run_across_the_new_year() -> None:
    assert Period(2023, 12).following() == Period(2024, 1)
    assert Period(2023, 12).label == "Dec 2023"
    assert nice_step(7) == 2
    assert nice_step(1234) == 500


def test_the_kept_timeline_follows_the_granularity_and_the_ledger(
    logged_in: Client, ledger: Ledger
) -> None:
    assert table(body(logged_in.get("/timeline/?by=year"))) == {"2023": 1, "2024": 1}
    assert "May 2024" in table(body(logged_in.get("/timeline/")))
    make_exchange(ledger.anc, ledger.swapo, when="2024-08-09")
    assert table(body(logged_in.get("/timeline/?by=year"))) == {"2023": 1, "2024": 2}


def test_the_dashboard_chart_writes_at_most_sixteen_years_under_its_bars() -> None:
    bars = year_bars([(1998, 1), (2024, 2)])
    assert len(bars) == 27
    written = [bar.year for bar in bars if bar.labelled]
    assert written[0] == 1998
    assert len(written) <= 16
    assert all(later - earlier == 2 for earlier, later in pairwise(written))
    assert all(bar.labelled for bar in year_bars([(2020, 1), (2024, 3)]))
