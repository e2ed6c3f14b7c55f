"""Dates known to a day, a month or a year."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

from liaison.domain.enums import DatePrecision
from liaison.domain.errors import ErrorCode, LiaisonError

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date with its precision; the missing parts are None."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise LiaisonError(ErrorCode.BAD_DATE, "a day needs a month")
        # date() validates the month and the day (30 February raises).
        date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read YYYY, YYYY-MM or YYYY-MM-DD."""
        match = _PARTIAL_DATE.match(text.strip())
        if not match:
            raise LiaisonError(
                ErrorCode.BAD_DATE, f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
            )
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return cls(year, month, day)
        except ValueError as error:
            raise LiaisonError(ErrorCode.BAD_DATE, f"{text!r} is not a date: {error}") from error

    @classmethod
    def from_date(cls, value: date, precision: DatePrecision) -> PartialDate:
        """Cut a full date to a precision."""
        if precision is DatePrecision.YEAR:
            return cls(value.year)
        if precision is DatePrecision.MONTH:
            return cls(value.year, value.month)
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> DatePrecision:
        """How much of this date is known."""
        if self.day is not None:
            return DatePrecision.DAY
        if self.month is not None:
            return DatePrecision.MONTH
        return DatePrecision.YEAR

    @property
    def first_day(self) -> date:
        """The earliest day this date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        """The latest day this date can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def isoformat(self) -> str:
        """Write YYYY, YYYY-MM or YYYY-MM-DD."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()

    def __lt__(self, other: object) -> bool:
        # A less precise date sorts before the more precise dates it contains.
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)
