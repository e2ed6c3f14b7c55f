"""Dates known to a day, a month or a year."""

from __future__ import annotations

from datetime import date

import pytest

from liaison.domain.dates import PartialDate
from liaison.domain.enums import DatePrecision
from liaison.domain.errors import LiaisonError


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2021", DatePrecision.YEAR, date(2021, 1, 1), date(2021, 12, 31)),
        ("2024-02", DatePrecision.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", DatePrecision.MONTH, date(2023, 2, 1), date(2023, 2, 28)),
        ("2017-11-30", DatePrecision.DAY, date(2017, 11, 30), date(2017, 11, 30)),
    ],
)
def test_partial_date_parse_knows_precision_and_bounds(
    text: str, precision: DatePrecision, first: date, last: date
) -> None:
    value = PartialDate.parse(text)
    assert (value.precision, value.first_day, value.last_day) == (precision, first, last)
    assert value.isoformat() == text


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13", "23-01-01", "May 2021", "", "2021-1-1"])
def test_partial_date_parse_rejects_non_dates(text: str) -> None:
    with pytest.raises(LiaisonError, match="date"):
        PartialDate.parse(text)


def test_partial_date_from_date_cuts_to_precision() -> None:
    day = date(2022, 9, 15)
    assert PartialDate.from_date(day, DatePrecision.MONTH).isoformat() == "2022-09"
    assert PartialDate.from_date(day, DatePrecision.YEAR).isoformat() == "2022"


def test_partial_date_orders_by_year_then_month() -> None:
    assert PartialDate(2021) < PartialDate(2021, 7) < PartialDate(2022)
