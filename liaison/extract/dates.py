"""Find date expressions and resolve them against the dateline or the publication date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from liaison.domain.dates import PartialDate
from liaison.extract.bylines import byline_city, match_dateline, read_date
from liaison.extract.bylines import published_from_text as published_from_text
from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import Dateline, DateMention
from liaison.extract.registry import load_registry

_MONTH_NAMES = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
W = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_DASH = r"(?:to|-|–|—|through|until|and)"

Handler = Callable[[re.Match[str], date | None], tuple[PartialDate | None, str]]


def month_number(text: str) -> int:
    """Return the month number of an English month name or abbreviation."""
    return _MONTH_NAMES[text.lower().rstrip(".")]


def _safe(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    try:
        return PartialDate(year, month, day)
    except Exception:  # an impossible day (31 June) is no date at all
        return None


def _year_for(month: int, day: int | None, ref: date | None) -> int | None:
    """Pick the year of a month (and day) written without one: the latest not after the ref."""
    if ref is None:
        return None
    candidate = date(ref.year, month, min(day or 1, 28))
    if candidate > ref + timedelta(days=7):
        return ref.year - 1
    return ref.year


def _day_month_year(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    return _safe(int(m["y"]), month_number(m["m"]), int(m["d"])), "explicit day"


def _month_day(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    month, day = month_number(m["m"]), int(m["d"])
    if m.groupdict().get("y"):
        return _safe(int(m["y"]), month, day), "explicit day"
    year = _year_for(month, day, ref)
    return (_safe(year, month, day) if year else None), "day without year, year of reference"


def _month_year(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    return _safe(int(m["y"]), month_number(m["m"])), "explicit month"


def _iso(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    return _safe(int(m["y"]), int(m["mo"]), int(m["d"])), "ISO date"


def _year(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    year = int(m["y"])
    if not 1900 <= year <= 2100:
        return None, "not a year"
    return _safe(year), "explicit year"


def _relative_month(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    month = month_number(m["m"])
    if ref is None:
        return None, "month without reference"
    word = m["w"].lower()
    if word == "this":
        return _safe(ref.year, month), "'this <month>': month of the reference year"
    year = ref.year if month <= ref.month else ref.year - 1
    if word == "last" and month == ref.month:
        year -= 1
    return _safe(year, month), f"'{word} <month>': latest such month"


def _weekday(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    if ref is None:
        return None, "weekday without reference"
    back = (ref.weekday() - _WEEKDAYS[m["wd"].lower()]) % 7
    day = ref - timedelta(days=back)
    return _safe(day.year, day.month, day.day), "weekday: latest such day on or before reference"


def _nth(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    if ref is None:
        return None, "day of month without reference"
    day = int(m["d"])
    year, month = ref.year, ref.month
    if day > ref.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return _safe(year, month, day), "'on the Nth': day of the reference month"


def _today(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    if ref is None:
        return None, "today without reference"
    day = ref - timedelta(days=1) if m.group().lower() == "yesterday" else ref
    return _safe(day.year, day.month, day.day), "today/yesterday"


def _this_month(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    if ref is None:
        return None, "month without reference"
    text = m.group().lower()
    if "last month" in text or "previous month" in text:
        year, month = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
        return _safe(year, month), "'last month'"
    if "last week" in text:
        day = ref - timedelta(days=7)
        return _safe(day.year, day.month), "'last week': month precision"
    return _safe(ref.year, ref.month), "this week/month: month of reference"


def _this_year(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
    if ref is None:
        return None, "year without reference"
    text = m.group().lower()
    if "last" in text or "previous" in text or "past" in text:
        return _safe(ref.year - 1), "'last year'"
    return _safe(ref.year), "'this year'"


def _none(rule: str) -> Handler:
    def handler(m: re.Match[str], ref: date | None) -> tuple[PartialDate | None, str]:
        return None, rule

    return handler


# Words that every match of a rule contains (a month name begins with one of _MONTHS),
# so a rule runs only over the lines that have one: most lines of a story have no date.
# Month and weekday names are matched case-sensitively, so their keys are too ("May", not "may").
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_KEYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# (pattern, handler, kind, words) in priority order: earlier patterns win overlaps.
_RULES: list[tuple[re.Pattern[str], Handler, str, tuple[str, ...]]] = [
    (
        re.compile(rf"\b(?:{W},? )?(?P<d>\d{{1,2}}){_ORD} (?P<m>{M}),? (?P<y>\d{{4}})\b"),
        _day_month_year,
        "absolute",
        _MONTHS,
    ),
    (
        re.compile(rf"\b(?:{W},? )?(?P<m>{M}) (?P<d>\d{{1,2}}){_ORD},? (?P<y>\d{{4}})\b"),
        _month_day,
        "absolute",
        _MONTHS,
    ),
    (
        re.compile(
            rf"\b(?:from |between )?(?P<m>{M}) (?P<d>\d{{1,2}}){_ORD} ?{_DASH} ?(?:{M} "
            rf")?\d{{1,2}}{_ORD}\b(?:,? (?P<y>\d{{4}}))?"
        ),
        _month_day,
        "range_start",
        _MONTHS,
    ),
    (
        re.compile(
            rf"\b(?:from |between )?(?P<d>\d{{1,2}}){_ORD} ?{_DASH} ?\d{{1,2}}{_ORD} "
            rf"(?P<m>{M})(?:,? (?P<y>\d{{4}}))?"
        ),
        lambda m, r: _month_day(m, r),
        "range_start",
        _MONTHS,
    ),
    (re.compile(r"\b(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})\b"), _iso, "absolute", ("-",)),
    (
        re.compile(rf"\b(?:{W},? )?(?P<m>{M}) (?P<d>\d{{1,2}}){_ORD}\b(?!,? \d)"),
        _month_day,
        "absolute",
        _MONTHS,
    ),
    (
        re.compile(rf"\b(?:{W},? )?(?P<d>\d{{1,2}}){_ORD} (?P<m>{M})\b"),
        _month_day,
        "absolute",
        _MONTHS,
    ),
    (
        re.compile(rf"\bnext (?:{M}|week|month|year|{W})\b", re.I),
        _none("future date"),
        "future",
        ("next",),
    ),
    (re.compile(rf"\b(?P<m>{M})(?: of)?,? (?P<y>\d{{4}})\b"), _month_year, "absolute", _MONTHS),
    (re.compile(r"\bsince (?:the )?(?:\w+ of )?(?P<y>\d{4})\b", re.I), _year, "since", ("since",)),
    (
        re.compile(
            r"\b(?:the )?(?:fall|autumn|spring|summer|winter|end|beginning|start|middle|"
            r"first half|second half|early|late|mid)[- ]?(?:of )?(?P<y>(?:19|20)\d\d)\b",
            re.I,
        ),
        _year,
        "absolute",
        ("19", "20"),
    ),
    (
        re.compile(
            rf"\b(?P<w>(?i:this|last|in|early|late|mid-|during|by|until|of|the middle of|"
            rf"since)) (?P<m>{M})(?!\w)"
        ),
        _relative_month,
        "relative",
        _MONTHS,
    ),
    (
        re.compile(rf"\b(?:on |last |this |since )?(?P<wd>{W})\b"),
        _weekday,
        "relative",
        _WEEKDAY_KEYS,
    ),
    (re.compile(r"\b(?:today|yesterday)\b", re.I), _today, "relative", ("day",)),
    (
        re.compile(r"\bthis (?:morning|afternoon|evening)\b|\btonight\b", re.I),
        _today,
        "relative",
        ("morning", "afternoon", "evening", "tonight"),
    ),
    (re.compile(r"\b[Oo]n the (?P<d>\d{1,2})(?:st|nd|rd|th)\b"), _nth, "relative", ("on the",)),
    (
        re.compile(
            r"\b(?:(?:earlier|later) )?(?:in )?(?:the middle of |the end of |"
            r"the beginning of |early |late )?(?:this|last|the previous) (?:month|week)\b",
            re.I,
        ),
        _this_month,
        "relative",
        ("month", "week"),
    ),
    (
        re.compile(r"\b(?:(?:earlier|later) )?(?:this|last|the previous|the past) year\b", re.I),
        _this_year,
        "relative",
        ("year",),
    ),
    (
        re.compile(
            r"\b(?:on )?the same day\b|\blater (?:that|the same) day\b|\bthat (?:day|"
            r"evening|morning|afternoon)\b",
            re.I,
        ),
        _none("same day as the previous event"),
        "same_day",
        ("day", "evening", "morning", "afternoon"),
    ),
    (
        re.compile(r"\b(?:the following|the next) day\b|\ba day later\b", re.I),
        _none("day after the previous date"),
        "next_day",
        ("day",),
    ),
    (
        re.compile(r"\b(?:that|the same) year\b", re.I),
        _none("year of the previous date"),
        "same_year",
        ("year",),
    ),
    (re.compile(r"(?<![\w.,-])(?P<y>(?:19|20)\d\d)(?![\w-]|,\d)"), _year, "year", ("19", "20")),
]

# The characters a match of each rule can start with. A lookahead on them lets the regex engine
# reject every other position at once: the same matches, about twice as fast. Rules compiled
# with re.I match these case-insensitively too.
_FIRST = (
    "MTWFS0-9",
    "MTWFSJAOND",
    "fbJFMASOND",
    "fb0-9",
    "0-9",
    "MTWFSJAOND",
    "MTWFS0-9",
    "n",
    "JFMASOND",
    "s",
    "tfaswebml",
    "tliemdbuosTLIEMDBUOS",
    "oltsMTWFS",
    "ty",
    "t",
    "oO",
    "elit",
    "elt",
    "otl",
    "ta",
    "t",
    "12",
)
assert len(_FIRST) == len(_RULES)
_RULES = [
    (re.compile(rf"(?=[{first}]){pattern.pattern}", pattern.flags), handler, kind, words)
    for first, (pattern, handler, kind, words) in zip(_FIRST, _RULES, strict=True)
]

_LINE = re.compile(r"[^\n]+")
_RULE_WORDS = frozenset(word for rule in _RULES for word in rule[3])
# A key with a capital is looked for as written, a lowercase one in the lowered line.
_CASED_KEYS = tuple(sorted(w for w in _RULE_WORDS if w[0].isupper()))
_LOWER_KEYS = tuple(sorted(w for w in _RULE_WORDS if not w[0].isupper()))
_RULE_KEYS = [frozenset(rule[3]) for rule in _RULES]


def find_dates(text: str, ref: date | None, offset: int = 0) -> list[DateMention]:
    """Return the date expressions of a text, resolved against a reference date."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    # No rule matches across a line break, and a line's edges look like the text's edges to
    # every rule (\b, lookarounds), so scanning line by line finds the same matches.
    lines = []
    for line in _LINE.finditer(text):
        raw = line.group()
        lowered = raw.lower()
        present = frozenset(
            [w for w in _CASED_KEYS if w in raw] + [w for w in _LOWER_KEYS if w in lowered]
        )
        if present:
            lines.append((line.start(), line.end(), present))
    for (pattern, handler, kind, _), keys in zip(_RULES, _RULE_KEYS, strict=True):
        for line_start, line_end, present in lines:
            if present.isdisjoint(keys):
                continue
            for match in pattern.finditer(text, line_start, line_end):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                value, rule = handler(match, ref)
                if kind == "year" and value is None:
                    continue
                taken.append((start, end))
                found.append(
                    DateMention(start + offset, end + offset, match.group(), value, rule, kind)
                )
    found.sort(key=lambda d: d.start)
    return found


@cache
def _lower_cities() -> dict[str, str]:
    """Return the registry's city names by their lower case."""
    return {known.lower(): known for known in load_registry().cities}


def find_dateline(text: str, published: date | None) -> Dateline | None:
    """Find the dateline ("BEIJING, April 16 (Xinhua) --") or byline city in a text's head."""
    registry = load_registry()
    cities = _lower_cities()
    byline: Dateline | None = None
    for number, line_match in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text[:3000])):
        if number >= 8:
            break
        line = line_match.group()
        start = line_match.start()
        match = match_dateline(line)
        if match is None:
            known = byline_city(line.strip(), cities) if byline is None else None
            if known:
                byline = Dateline(start, line_match.end(), known, registry.cities[known], None)
            continue
        city = country = None
        name = match["city"].strip()
        known = cities.get(name.lower())
        if known:
            city, country = known, registry.cities[known]
        elif name.isupper() or (len(name.split()) <= 3 and (match["sep"] or match["agency"])):
            city = name.title() if name.isupper() else name
        else:
            continue  # "SACP Statement, 3 February 2024": a byline, not a place
        day = _dateline_day(match, published)
        return Dateline(start + match.start(), start + match.end(), city, country, day)
    return byline


def _dateline_day(match: re.Match[str], published: date | None) -> date | None:
    raw = match["date"]
    if not raw:
        return None
    written = read_date(raw)
    if written:
        return written.value
    mentions = find_dates(raw.rstrip("."), published)
    if mentions and mentions[0].value is not None and mentions[0].value.day is not None:
        return mentions[0].value.first_day
    return None


@Language.factory(
    "liaison_dates_v1",
    requires=["doc._.lx_sentences"],
    assigns=["doc._.lx_dateline", "doc._.lx_reference", "doc._.lx_dates"],
)
def make_dates(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the date finder."""
    ensure_extensions()
    return mark_dates


def mark_dates(doc: Doc) -> Doc:
    """Find the dateline, the reference date and every date expression of a doc."""
    published = doc._.lx_published
    dateline = find_dateline(text_of(doc), published) if doc._.lx_offset == 0 else None
    doc._.lx_dateline = dateline
    reference = dateline.day if dateline and dateline.day else published
    doc._.lx_reference = reference
    doc._.lx_dates = find_dates(text_of(doc), reference)
    return doc
