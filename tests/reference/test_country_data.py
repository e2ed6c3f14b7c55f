"""The shipped countries, groups and dated group memberships: format, integrity and spot facts.

Plain pytest, no Django: the files are read with `liaison.reference.read`.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from liaison.domain.dates import PartialDate
from liaison.reference import read

Rows = list[dict[str, str]]

COUNTRY_FIELDS = [
    "iso3",
    "iso2",
    "m49",
    "name",
    "official_name",
    "kind",
    "region",
    "subregion",
    "intermediate_region",
    "un_member",
    "development_status",
]
GROUP_FIELDS = ["code", "name", "kind", "source", "as_of"]
MEMBER_FIELDS = ["group", "iso3", "joined", "left", "note"]

REGIONS = {"Africa", "Americas", "Asia", "Europe", "Oceania"}
SUBREGIONS = {
    "Northern Africa",
    "Sub-Saharan Africa",
    "Latin America and the Caribbean",
    "Northern America",
    "Central Asia",
    "Eastern Asia",
    "South-eastern Asia",
    "Southern Asia",
    "Western Asia",
    "Eastern Europe",
    "Northern Europe",
    "Southern Europe",
    "Western Europe",
    "Australia and New Zealand",
    "Melanesia",
    "Micronesia",
    "Polynesia",
}
INTERMEDIATE_REGIONS = {
    "Eastern Africa",
    "Middle Africa",
    "Southern Africa",
    "Western Africa",
    "Caribbean",
    "Central America",
    "South America",
    "Channel Islands",
}
GROUP_KINDS = {"bloc", "regional", "economic", "un_category"}
GROUP_CODES = {
    "BRICS",
    "SCO",
    "ASEAN",
    "AU",
    "CELAC",
    "ARAB_LEAGUE",
    "PIF",
    "EU",
    "OECD",
    "G20",
    "LDC",
    "LLDC",
    "SIDS",
}
# Current members on the as-of date of the lists.
CURRENT_SIZES = {
    "BRICS": 10,
    "SCO": 10,
    "ASEAN": 11,
    "AU": 55,
    "CELAC": 33,
    "ARAB_LEAGUE": 22,
    "PIF": 18,
    "EU": 27,
    "OECD": 38,
    "G20": 19,
    "LDC": 44,
    "LLDC": 32,
}


@pytest.fixture(scope="module")
def countries() -> Rows:
    return list(read.countries())


@pytest.fixture(scope="module")
def groups() -> Rows:
    return list(read.groups())


@pytest.fixture(scope="module")
def members() -> Rows:
    return list(read.group_members())


def _date(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def _span(row: dict[str, str]) -> tuple[date, date]:
    """The first and last day of a membership, open ends stretched to the calendar's ends."""
    joined, left = _date(row["joined"]), _date(row["left"])
    return (joined.first_day if joined else date.min, left.last_day if left else date.max)


def _members_on(members: Rows, group: str, day: date) -> set[str]:
    found = set()
    for row in members:
        start, end = _span(row)
        if row["group"] == group and start <= day <= end:
            found.add(row["iso3"])
    return found


def _index(countries: Rows) -> dict[str, dict[str, str]]:
    return {row["iso3"]: row for row in countries}


# --- countries.csv ---------------------------------------------------------------------------


def test_countries_have_the_documented_header(countries: Rows) -> None:
    assert list(countries[0]) == COUNTRY_FIELDS
    for row in countries:
        assert None not in row, row  # no row has more fields than the header
        assert all(row[field] is not None for field in COUNTRY_FIELDS), row
        assert row["name"] and row["official_name"], row["iso3"]


def test_countries_cover_every_iso_3166_entry_in_order(countries: Rows) -> None:
    codes = [row["iso3"] for row in countries]
    assert len(codes) == 249
    assert codes == sorted(codes)


def test_countries_iso3_is_unique_and_three_capitals(countries: Rows) -> None:
    codes = [row["iso3"] for row in countries]
    assert [c for c, n in Counter(codes).items() if n > 1] == []
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)


def test_countries_iso2_is_unique_and_two_capitals(countries: Rows) -> None:
    codes = [row["iso2"] for row in countries]
    assert [c for c, n in Counter(codes).items() if n > 1] == []
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)


def test_countries_m49_is_unique_and_three_digits(countries: Rows) -> None:
    codes = [row["m49"] for row in countries]
    assert [c for c, n in Counter(codes).items() if n > 1] == []
    assert all(re.fullmatch(r"\d{3}", code) for code in codes)


def test_countries_count_193_un_members(countries: Rows) -> None:
    assert {row["un_member"] for row in countries} == {"yes", "no"}
    assert sum(row["un_member"] == "yes" for row in countries) == 193


def test_countries_sovereign_means_un_member_holy_see_or_palestine(countries: Rows) -> None:
    assert {row["kind"] for row in countries} <= {"sovereign", "territory"}
    sovereign = {row["iso3"] for row in countries if row["kind"] == "sovereign"}
    un_members = {row["iso3"] for row in countries if row["un_member"] == "yes"}
    assert sovereign == un_members | {"VAT", "PSE"}


def test_countries_development_status_is_known(countries: Rows) -> None:
    assert {row["development_status"] for row in countries} <= {"developed", "developing", ""}
    blank = {row["iso3"] for row in countries if not row["development_status"]}
    assert blank == {"ATA", "BVT", "HMD", "UMI", "SGS", "IOT", "ATF"}


def test_countries_regions_follow_m49(countries: Rows) -> None:
    for row in countries:
        if row["iso3"] == "ATA":
            assert (row["region"], row["subregion"], row["intermediate_region"]) == ("", "", "")
            continue
        assert row["region"] in REGIONS, row["iso3"]
        assert row["subregion"] in SUBREGIONS, row["iso3"]
        assert row["intermediate_region"] in INTERMEDIATE_REGIONS | {""}, row["iso3"]


def test_countries_spot_facts(countries: Rows) -> None:
    index = _index(countries)
    assert index["CHN"]["development_status"] == "developing"
    assert index["DEU"]["development_status"] == "developed"
    assert index["TWN"]["kind"] == "territory"
    assert index["TWN"]["un_member"] == "no"
    assert (index["TWN"]["region"], index["TWN"]["subregion"]) == ("Asia", "Eastern Asia")
    assert index["AFG"]["m49"] == "004"
    assert index["CHN"]["m49"] == "156"
    assert index["GRL"]["development_status"] == "developed"
    assert index["PRI"]["development_status"] == "developed"
    assert index["HKG"]["kind"] == "territory"
    assert index["PSE"]["kind"] == "sovereign"
    assert index["PSE"]["un_member"] == "no"
    assert index["KOR"]["name"] == "South Korea"
    assert index["PRK"]["official_name"] == "Democratic People's Republic of Korea"
    assert index["CIV"]["name"] == "Côte d'Ivoire"
    assert index["JEY"]["intermediate_region"] == "Channel Islands"
    assert index["MEX"]["intermediate_region"] == "Central America"


# --- groups.csv ------------------------------------------------------------------------------


def test_groups_have_the_documented_header_and_codes(groups: Rows) -> None:
    assert list(groups[0]) == GROUP_FIELDS
    assert [g["code"] for g in groups] == list(dict.fromkeys(g["code"] for g in groups))
    assert {g["code"] for g in groups} == GROUP_CODES
    for group in groups:
        assert None not in group, group
        assert group["kind"] in GROUP_KINDS, group["code"]
        assert group["name"] and group["source"], group["code"]
        assert PartialDate.parse(group["as_of"]).precision.name == "DAY"


# --- group_members.csv -----------------------------------------------------------------------


def test_members_have_the_documented_header(members: Rows) -> None:
    assert list(members[0]) == MEMBER_FIELDS
    for row in members:
        assert None not in row, row
        assert row["group"] and row["iso3"], row


def test_members_name_known_groups_and_countries(
    members: Rows, groups: Rows, countries: Rows
) -> None:
    codes = {g["code"] for g in groups}
    iso3 = {c["iso3"] for c in countries}
    assert sorted({m["group"] for m in members} - codes) == []
    assert sorted({m["iso3"] for m in members} - iso3) == []
    assert {m["group"] for m in members} == codes  # no empty group


def test_members_dates_parse_and_are_ordered(members: Rows) -> None:
    for row in members:
        joined, left = _date(row["joined"]), _date(row["left"])
        if joined and left:
            assert joined.first_day <= left.first_day, row


def test_members_periods_do_not_overlap(members: Rows) -> None:
    periods: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for row in members:
        periods[row["group"], row["iso3"]].append(_span(row))
    for key, spans in periods.items():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end < start, key


def test_members_current_sizes(members: Rows) -> None:
    current = Counter(m["group"] for m in members if not m["left"])
    for group, size in CURRENT_SIZES.items():
        assert current[group] == size, group


def test_members_brics_grew_in_2024(members: Rows) -> None:
    before = _members_on(members, "BRICS", date(2023, 6, 1))
    after = _members_on(members, "BRICS", date(2024, 6, 1))
    assert before == {"BRA", "RUS", "IND", "CHN", "ZAF"}
    assert after - before == {"EGY", "ETH", "IRN", "ARE"}
    assert "SAU" not in _members_on(members, "BRICS", date(2026, 1, 1))
    assert "IDN" in _members_on(members, "BRICS", date(2025, 6, 1))


def test_members_gbr_left_the_eu_on_31_january_2020(members: Rows) -> None:
    (row,) = [m for m in members if m["group"] == "EU" and m["iso3"] == "GBR"]
    assert (row["joined"], row["left"]) == ("1973-01-01", "2020-01-31")
    assert "GBR" in _members_on(members, "EU", date(2020, 1, 31))
    assert "GBR" not in _members_on(members, "EU", date(2020, 2, 1))
    assert len(_members_on(members, "EU", date(2026, 11, 1))) == 27


def test_members_oecd_has_38_members(members: Rows) -> None:
    assert len(_members_on(members, "OECD", date(2026, 11, 1))) == 38
    assert "CRI" not in _members_on(members, "OECD", date(2021, 5, 24))


def test_members_suspensions_are_gaps(members: Rows) -> None:
    assert "BRA" not in _members_on(members, "CELAC", date(2021, 6, 1))
    assert "BRA" in _members_on(members, "CELAC", date(2024, 1, 1))
    assert "SYR" not in _members_on(members, "ARAB_LEAGUE", date(2015, 1, 1))
    assert "SYR" in _members_on(members, "ARAB_LEAGUE", date(2024, 1, 1))


def test_members_ldc_graduations(members: Rows) -> None:
    current = _members_on(members, "LDC", date(2026, 11, 1))
    assert {"BTN", "STP", "VUT", "WSM", "MDV", "CPV", "BWA", "GNQ"}.isdisjoint(current)
    assert {"BGD", "LAO", "NPL", "AGO"} <= current
    assert "BTN" in _members_on(members, "LDC", date(2020, 1, 1))


def test_members_un_categories_hold_un_members(members: Rows, countries: Rows) -> None:
    index = _index(countries)
    for row in members:
        if row["group"] in {"LDC", "LLDC", "SIDS"}:
            assert index[row["iso3"]]["un_member"] == "yes", row
