"""Date expressions resolved against the reference date."""

from __future__ import annotations

from datetime import date

import pytest

from liaison.extract.dates import find_dateline, find_dates, published_from_text

REF = date(2024, 5, 10)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Tuesday", "2024-05-07"),
        ("on Friday", "2024-05-10"),
        ("in March", "2024-03"),
        ("in June", "2023-06"),
        ("this June", "2024-06"),
        ("last month", "2024-04"),
        ("earlier this week", "2024-05"),
        ("last year", "2023"),
        ("in 2019", "2019"),
        ("in the spring of 2016", "2016"),
        ("on 5 February 2024", "2024-02-05"),
        ("on April 30", "2024-04-30"),
        ("in November 2017", "2017-11"),
        ("from May 7 to 9", "2024-05-07"),
        ("On the 8th", "2024-05-08"),
        ("today", "2024-05-10"),
        ("Tuesday, 10 October 2023", "2023-10-10"),
    ],
)
def test_find_dates_resolves_expression(text: str, expected: str) -> None:
    mentions = find_dates(text, REF)
    assert mentions and mentions[0].value is not None
    assert mentions[0].value.isoformat() == expected


def test_find_dates_marks_future_and_since() -> None:
    kinds = [m.kind for m in find_dates("since 2013, and again next month", REF)]
    assert kinds == ["since", "future"]


def test_find_dates_without_reference_leaves_relative_dates_open() -> None:
    assert find_dates("on Monday", None)[0].value is None


def test_find_dateline_reads_city_and_day() -> None:
    dateline = find_dateline("LUSAKA, May 9 (Xinhua) -- Leaders met.", REF)
    assert dateline is not None
    assert (dateline.city, dateline.country, dateline.day) == ("Lusaka", "ZMB", date(2024, 5, 9))


def test_published_from_text_reads_updated_line() -> None:
    assert published_from_text("Headline\n\nUpdated: 2021-03-04 10:00\n\nText.") == date(2021, 3, 4)


def test_published_from_text_reads_dated_dateline() -> None:
    assert published_from_text("May 2, 2022 -- The dialogue was held.") == date(2022, 5, 2)
