"""Read the publication date and the dateline from the head of a text (bylines, datelines)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# A month name or abbreviation, in any case ("Dec.", "SEPT", "November").
MONTH = (
    r"(?i:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY = (
    r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?"
)
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
# Day, month and year in the orders English bylines use; a weekday may come first.
_WRITTEN = [
    re.compile(rf"(?:{_WEEKDAY},? )?(?P<m>{MONTH}) {_DAY}(?:,? |/|, ?){_YEAR}"),
    re.compile(rf"(?:{_WEEKDAY},? )?(?:the )?{_DAY}(?: of)? (?P<m>{MONTH}),? {_YEAR}"),
    re.compile(rf"(?:{_WEEKDAY},? )?{_YEAR}(?P<s>[-/.])(?P<mo>[01]?\d)(?P=s)(?P<d>[0-3]?\d)"),
    re.compile(rf"(?:{_WEEKDAY},? )?(?P<a>[0-3]?\d)(?P<s>[/.-])(?P<b>[0-3]?\d)(?P=s){_YEAR}"),
]
# A clock time with an optional zone, before or after the date ("18:55:02", "10 a.m. GMT+8").
_TIME = (
    r"(?:(?:at|@|-|–|,)\s*)?(?:\d{1,2}[:.]\d\d(?:[:.]\d\d)?(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)"
    r"(?:\s*\(?(?:[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d\d)?)?|[+-]\d{2}:?\d{2})\)?)?"
)
_ISO_STAMP = re.compile(
    r"(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)T[\d:.]+(?:Z|[+-][\d:]+)?"
)
_KEYWORD = re.compile(
    r"(?:^|(?<=[\s|·•,(]))(?:(?:Last|First) (?:updated|published)|Updated|Published|Posted"
    r"|Released|Issued|(?:Release|Publication|Posting) date|Date|UPDATED|PUBLISHED|POSTED)"
    r"(?: on| at)?\s*:?\s*"
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||·|•|\s[-–—]\s)\s*")
_TIME_ONLY = re.compile(rf"{_TIME}\s*")
_HEAD_LINES = 8
_MAX_BYLINE_WORDS = 25
_BODY_WORDS = 40


@dataclass(frozen=True)
class HeadDate:
    """A written date found at a position of a line: its value and where it ends."""

    value: date
    end: int


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(text: str, pos: int = 0) -> HeadDate | None:
    """Read a written date (with day, month and year) that starts at `pos` of a text."""
    stamp = _ISO_STAMP.match(text, pos)
    if stamp:
        value = _make(int(stamp["y"]), int(stamp["mo"]), int(stamp["d"]))
        return HeadDate(value, stamp.end()) if value else None
    for number, pattern in enumerate(_WRITTEN):
        match = pattern.match(text, pos)
        if not match:
            continue
        if match.end() < len(text) and (text[match.end()].isalnum() or text[match.end()] in "-/"):
            continue  # "2024-06-265" or a longer number is no date
        year = int(match["y"])
        if number < 2:
            value = _make(year, _MONTHS[match["m"].lower()[:3]], int(match["d"]))
        elif number == 2:
            value = _make(year, int(match["mo"]), int(match["d"]))
        else:
            value = _numeric(year, int(match["a"]), int(match["b"]), match["s"])
        if value:
            return HeadDate(value, match.end())
    return None


def _numeric(year: int, a: int, b: int, separator: str) -> date | None:
    """Read 12/08/2025 or 12.08.2025: day first unless only month first fits; never guess."""
    if a > 12 or separator == ".":
        return _make(year, b, a)
    if b > 12:
        return _make(year, a, b)
    return _make(year, b, a) if a == b else None


def _whole_date(segment: str) -> date | None:
    """Return the date when a byline segment is only a date, with a weekday or clock time."""
    segment = segment.strip().rstrip(".;,")
    pos = 0
    clock = _TIME_ONLY.match(segment)
    if clock and read_date(segment, 0) is None:
        pos = clock.end()  # "10 a.m. Sept. 29, 2022"
    found = read_date(segment, pos)
    if found is None:
        return None
    rest = segment[found.end :]
    if rest.strip() and not re.fullmatch(rf"(?:\s*,?\s*{_TIME})+\s*", rest):
        return None
    return found.value


# "PLACE, DATE (AGENCY) --", "PLACE, DATE", "DATE --": a dateline that carries its year.
_LEAD_PLACE = re.compile(r"[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|es|de|da|do|del|la|al|el)){0,4},\s*")
_AFTER_LEAD = re.compile(
    r"\s*(?:\([A-Za-z][A-Za-z .&-]{1,30}\)|/[A-Za-z][A-Za-z .&-]{1,30}/)?\s*[.:]?\s*(?:--|—|–|-|$)"
    r"|\s*\([A-Za-z][A-Za-z .&-]{1,30}\)|\s*/[A-Za-z][A-Za-z .&-]{1,30}/"
)


def _lead_date(line: str) -> date | None:
    """Return the date of a dateline at the start of a line."""
    pos = 0
    place = _LEAD_PLACE.match(line)
    if place:
        pos = place.end()
    found = read_date(line, pos)
    if found is None:
        return None
    if _AFTER_LEAD.match(line, found.end) or (
        place and len(line.split()) <= _MAX_BYLINE_WORDS and _whole_date(line[pos:])
    ):
        return found.value
    return None


def _line_date(line: str) -> date | None:
    """Return the publication date a head line states, if it states one."""
    if len(line.split()) > _MAX_BYLINE_WORDS:
        return _lead_date(line)  # a paragraph of the story: only its dateline counts
    for keyword in _KEYWORD.finditer(line):
        found = read_date(line, keyword.end())
        if found:
            return found.value
    value = _lead_date(line)
    if value or line.endswith("."):
        return value
    for segment in _SEGMENT_SPLIT.split(line):
        value = _whole_date(segment)
        if value:
            return value
    # "SACP Statement, 3 February 2024": a short line that ends with a date after a comma.
    for comma in re.finditer(r",\s*", line):
        value = _whole_date(line[comma.end() :])
        if value:
            return value
    return None


def published_from_text(text: str) -> date | None:
    """Read the publication date from the head of a text: bylines, datelines, "Updated:" lines."""
    seen = 0
    for line_match in re.finditer(r"[^\n]+", text[:4000]):
        line = line_match.group().strip()
        if not line:
            continue
        value = _line_date(line)
        if value:
            return value
        seen += 1
        if seen >= _HEAD_LINES or len(line.split()) > _BODY_WORDS:
            break  # bylines come before the story's paragraphs
    return None


# A dateline: "BEIJING, April 16 (Xinhua) --", "HANOI, 3 May (VNA) -", "Ulaanbaatar, August 16
# (MONTSAME).", "MOSCOW, February 18. /TASS/.", "Addis Ababa, November 12/2024 (ENA) -",
# "Luanda -", "Kathmandu, June 12, 2024" (a header line of its own).
_PLACE = r"[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|es|de|da|do|del|la|al|el)){0,4}"
_DATELINE_DATE = (
    rf"(?:{_WEEKDAY},? )?(?:{MONTH} [0-3]?\d(?:st|nd|rd|th)?(?:(?:,? |/)(?:19|20)\d\d)?"
    rf"|[0-3]?\d(?:st|nd|rd|th)? {MONTH}(?:,? (?:19|20)\d\d)?)(?![\w/])"
)
_DATELINE = re.compile(
    rf"(?P<city>{_PLACE})(?:,\s*(?P<date>{_DATELINE_DATE}))?\.?\s*"
    r"(?P<agency>\([A-Z][A-Za-z .&'-]{1,30}\)|/[A-Z][A-Za-z .&'-]{1,30}/)?\s*(?P<stop>[.:])?\s*"
    r"(?P<sep>(?:--|—|–|-)\s+)?"
)


def match_dateline(line: str) -> re.Match[str] | None:
    """Match the dateline at the start of a line, or return None."""
    match = _DATELINE.match(line)
    if not match:
        return None
    ends_line = match.end() == len(line.rstrip())
    if match["sep"] or match["agency"]:
        return match if match["sep"] or match["date"] or match["stop"] or ends_line else None
    if match["date"] and (ends_line or match["stop"]):
        return match
    return None


def byline_city(line: str, cities: dict[str, str]) -> str | None:
    """Return the known city a byline names ("By X | Windhoek", "By X, Dodoma", "By X in Xi'an")."""
    if len(line.split()) > 12 or not (line.startswith(("By ", "From ")) or "|" in line):
        return None
    for part in re.split(r"\s*\|\s*|,\s*|\s+in\s+", line):
        known = cities.get(part.strip().lower())
        if known:
            return known
    return None
