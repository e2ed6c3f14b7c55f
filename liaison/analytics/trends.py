"""Growth year on year: exchanges, counterparts in contact, new counterparts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from liaison.ledger.figures_queries import ContactRow, CubeRow


@dataclass(frozen=True)
class YearRow:
    """One year's figures and their change on the year before, in percent."""

    year: int
    exchanges: int
    counterparts: int
    new_counterparts: int
    exchanges_change: float | None
    counterparts_change: float | None


def change(now: int, before: int | None) -> float | None:
    """Return the change from one figure to the next in percent (None without a base)."""
    if not before:
        return None
    return 100 * (now - before) / before


def growth(
    cube: Iterable[CubeRow],
    counterparts_per_year: Iterable[tuple[int, int]],
    contacts: Iterable[ContactRow],
) -> list[YearRow]:
    """Return one row per year from the first to the last year with an exchange."""
    exchanges: Counter[int] = Counter()
    for cell in cube:
        exchanges[cell.year] += cell.count
    counterparts = dict(counterparts_per_year)
    if not exchanges:
        return []
    years = range(min(exchanges), max(exchanges) + 1)
    # A counterpart is new in the year of its first contact ever, if that year is reported.
    new = Counter(c.first.year for c in contacts if c.first.year in years)
    rows: list[YearRow] = []
    previous: YearRow | None = None
    for year in years:
        row = YearRow(
            year,
            exchanges[year],
            counterparts.get(year, 0),
            new[year],
            change(exchanges[year], previous.exchanges if previous else None),
            change(counterparts.get(year, 0), previous.counterparts if previous else None),
        )
        rows.append(row)
        previous = row
    return rows
