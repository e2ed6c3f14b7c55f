"""The shipped registry of actors and dialogue mechanisms: format, integrity and coverage.

Standard library only: these tests read the JSON Lines files directly, without Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

Records = list[dict[str, Any]]
Index = dict[str, dict[str, Any]]

REFERENCE = Path(__file__).resolve().parents[2] / "liaison" / "reference"
ACTORS_FILE = REFERENCE / "actors.jsonl"
MECHANISMS_FILE = REFERENCE / "mechanisms.jsonl"
COUNTRIES_FILE = REFERENCE / "countries.csv"

ACTOR_FIELDS = {
    "key",
    "kind",
    "name",
    "country",
    "family",
    "org_type",
    "parent",
    "names",
    "status",
    "ids",
}
KINDS = {"party", "party_organ", "government", "legislature", "organization"}
FAMILIES = {
    "communist",
    "socialist",
    "social_democratic",
    "green",
    "liberal",
    "christian_democratic",
    "conservative",
    "nationalist",
    "national_liberation",
    "agrarian",
    "regionalist",
    "islamist",
    "populist",
    "centrist",
    "other",
}
ORG_TYPES = {"think_tank", "ngo", "international", "media", "business", "other"}
NAME_TYPES = {"original", "abbreviation", "alias", "former"}
NAME_FIELDS = {"name", "type", "lang", "script", "valid_from", "valid_to"}
SCRIPTS = {
    "Latn",
    "Cyrl",
    "Arab",
    "Hans",
    "Hant",
    "Hani",
    "Deva",
    "Grek",
    "Hang",
    "Kore",
    "Jpan",
    "Thai",
    "Laoo",
    "Khmr",
    "Mymr",
    "Ethi",
    "Hebr",
    "Geor",
    "Armn",
    "Mong",
    "Beng",
    "Sinh",
    "Taml",
    "Tibt",
    "Thaa",
    "Guru",
    "Gujr",
    "Telu",
    "Knda",
    "Mlym",
    "Orya",
}
STATUSES = {"ruling", "opposition", "coalition"}
ID_SCHEMES = {
    "wikidata": re.compile(r"Q[1-9][0-9]*"),
    "partyfacts": re.compile(r"[1-9][0-9]*"),
    "parlgov": re.compile(r"[1-9][0-9]*"),
}
KEY = re.compile(r"[a-z0-9_]+")
COUNTRY = re.compile(r"[A-Z]{3}")
LANG = re.compile(r"[a-z]{2}")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

MECHANISM_FIELDS = {
    "key",
    "name",
    "scope",
    "organizer",
    "region",
    "aliases",
    "description",
    "editions",
}
EDITION_FIELDS = {"name", "number", "date", "end_date", "city", "country", "channel"}
SCOPES = {"bilateral", "multilateral", "regional", "global"}
CHANNELS = {"in_person", "video", "phone", "written", "unknown"}

# Pairs of actors in one country that legitimately share a canonical name or an abbreviation.
# Each entry: (country, name or abbreviation as written) -> (sorted keys, reason). Empty today;
# add a pair here, with the reason, rather than weakening the tests below.
KNOWN_NAME_CLASHES: dict[tuple[str | None, str], tuple[tuple[str, ...], str]] = {}
KNOWN_ABBREVIATION_CLASHES: dict[tuple[str | None, str], tuple[tuple[str, ...], str]] = {}

# The mechanisms the seed documents name, by the key we file them under.
SEED_MECHANISMS = {
    "cpc_wpp_summit": "CPC and World Political Parties Summit",
    "cpc_wpp_hlm": "CPC in Dialogue with World Political Parties High-Level Meeting",
    "sco_ppf": "SCO Political Parties Forum",
    "sco_peoples_forum": "SCO People's Forum",
    "brics_ptt_forum": "BRICS Political Parties, Think Tanks and Civil Society Organizations Forum",
    "cpc_wmpp_forum": "CPC and World Marxist Political Parties Forum",
    "silk_road_think_tank_association": "Silk Road Think Tank Association",
    "silk_road_ngo_cooperation_network": "Silk Road NGO Cooperation Network",
    "br_port_cities_forum": "International Forum on Belt and Road Port Cities",
    "br_land_sea_forum": "Belt and Road Forum for Interconnected Land-Sea Development",
    "bfa_annual": "Boao Forum for Asia Annual Conference",
}


def _read_jsonl(path: Path) -> Records:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name} line {number} is blank"
        record = json.loads(line)
        assert isinstance(record, dict), f"{path.name} line {number} is not an object"
        records.append(record)
    return records


@pytest.fixture(scope="module")
def actors() -> Records:
    return _read_jsonl(ACTORS_FILE)


@pytest.fixture(scope="module")
def by_key(actors: Records) -> Index:
    return {actor["key"]: actor for actor in actors}


@pytest.fixture(scope="module")
def mechanisms() -> Records:
    return _read_jsonl(MECHANISMS_FILE)


def _check_date(value: str, where: str) -> None:
    assert isinstance(value, str) and DATE.fullmatch(value), f"{where}: bad date {value!r}"
    parts = [int(p) for p in value.split("-")]
    year, month, day = (
        parts[0],
        parts[1] if len(parts) > 1 else 1,
        parts[2] if len(parts) > 2 else 1,
    )
    dt.date(year, month, day)  # raises on an impossible date


def _not_after(start: str, end: str) -> bool:
    """Whether start <= end, comparing at the precision the two dates share."""
    size = min(len(start), len(end))
    return start[:size] <= end[:size]


# ---------------------------------------------------------------- actors: format


def test_actors_every_line_parses_as_an_object_with_the_fields() -> None:
    raw = ACTORS_FILE.read_bytes().decode("utf-8")
    assert raw.endswith("\n")
    for number, line in enumerate(raw.splitlines(), start=1):
        record = json.loads(line)
        assert set(record) == ACTOR_FIELDS, f"line {number}: fields {sorted(record)}"


def test_actors_non_latin_names_are_stored_as_characters() -> None:
    raw = ACTORS_FILE.read_text(encoding="utf-8")
    assert "\\u" not in raw
    assert "中国共产党" in raw


def test_actors_keys_are_unique_and_well_formed(actors: Records) -> None:
    counts = Counter(actor["key"] for actor in actors)
    assert [key for key, count in counts.items() if count > 1] == []
    assert [key for key in counts if not KEY.fullmatch(key)] == []


def test_actors_kinds_are_allowed(actors: Records) -> None:
    assert {actor["kind"] for actor in actors} <= KINDS


def test_actors_family_is_set_on_parties_only(actors: Records) -> None:
    for actor in actors:
        if actor["kind"] == "party":
            assert actor["family"] in FAMILIES, actor["key"]
        else:
            assert actor["family"] is None, actor["key"]


def test_actors_org_type_is_set_on_organizations_only(actors: Records) -> None:
    for actor in actors:
        if actor["kind"] == "organization":
            assert actor["org_type"] in ORG_TYPES, actor["key"]
        else:
            assert actor["org_type"] is None, actor["key"]


def test_actors_canonical_names_are_non_empty_and_trimmed(actors: Records) -> None:
    for actor in actors:
        name = actor["name"]
        assert isinstance(name, str) and name and name == name.strip(), actor["key"]


def test_actors_name_entries_have_allowed_types_languages_and_scripts(actors: Records) -> None:
    for actor in actors:
        for entry in actor["names"]:
            where = f"{actor['key']}: {entry.get('name')!r}"
            assert set(entry) <= NAME_FIELDS and {"name", "type"} <= set(entry), where
            assert (
                isinstance(entry["name"], str) and entry["name"].strip() == entry["name"] != ""
            ), where
            assert entry["type"] in NAME_TYPES, where
            if entry["type"] == "original":
                assert "lang" in entry and "script" in entry, where
            if "lang" in entry:
                assert LANG.fullmatch(entry["lang"]), where
            if "script" in entry:
                assert entry["script"] in SCRIPTS, where


def test_actors_names_are_not_repeated_within_an_actor(actors: Records) -> None:
    for actor in actors:
        counts = Counter(entry["name"] for entry in actor["names"])
        assert [name for name, count in counts.items() if count > 1] == [], actor["key"]


def test_actors_name_validity_dates_are_well_formed_and_ordered(actors: Records) -> None:
    for actor in actors:
        for entry in actor["names"]:
            where = f"{actor['key']}: {entry['name']!r}"
            for field in ("valid_from", "valid_to"):
                if field in entry:
                    _check_date(entry[field], where)
            if "valid_from" in entry and "valid_to" in entry:
                assert _not_after(entry["valid_from"], entry["valid_to"]), where


def test_actors_former_names_carry_a_validity_date(actors: Records) -> None:
    for actor in actors:
        for entry in actor["names"]:
            if entry["type"] == "former":
                assert "valid_to" in entry or "valid_from" in entry, (
                    f"{actor['key']}: {entry['name']!r}"
                )


def test_actors_non_latin_original_names_say_their_script(actors: Records) -> None:
    for actor in actors:
        for entry in actor["names"]:
            if entry["type"] == "original" and not entry["name"].isascii():
                has_latin_letters_only = all(
                    not ch.isalpha() or "LATIN" in _unicode_name(ch) for ch in entry["name"]
                )
                if not has_latin_letters_only:
                    assert entry["script"] != "Latn", f"{actor['key']}: {entry['name']!r}"


def _unicode_name(ch: str) -> str:
    import unicodedata

    return unicodedata.name(ch, "")


# ---------------------------------------------------------------- actors: integrity


def test_actors_parents_exist_and_form_no_cycle(by_key: Index) -> None:
    for key, actor in by_key.items():
        seen = {key}
        parent = actor["parent"]
        while parent is not None:
            assert parent in by_key, f"{key}: parent {parent!r} is not defined"
            assert parent not in seen, f"{key}: parent cycle through {parent!r}"
            seen.add(parent)
            parent = by_key[parent]["parent"]


def test_actors_parents_are_listed_before_their_children(actors: Records) -> None:
    # The loader creates actors in file order (parentless first), so a parent must come earlier.
    position = {actor["key"]: number for number, actor in enumerate(actors)}
    late = [a["key"] for a in actors if a["parent"] and position[a["parent"]] > position[a["key"]]]
    assert late == []


def test_actors_party_organs_belong_to_a_party(by_key: Index) -> None:
    for key, actor in by_key.items():
        if actor["kind"] == "party_organ":
            assert actor["parent"] is not None, key
            assert by_key[actor["parent"]]["kind"] in {"party", "party_organ"}, key


def test_actors_country_codes_are_three_uppercase_letters(actors: Records) -> None:
    for actor in actors:
        assert actor["country"] is None or COUNTRY.fullmatch(actor["country"]), actor["key"]
        if actor["kind"] in {"party", "party_organ"}:
            assert actor["country"] is not None, actor["key"]


def test_actors_country_codes_appear_in_the_countries_file(actors: Records) -> None:
    if not COUNTRIES_FILE.exists():
        pytest.skip("countries.csv is not there yet")
    with COUNTRIES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    column = next(c for c in ("iso3", "alpha3", "alpha_3", "code") if rows and c in rows[0])
    known = {row[column] for row in rows}
    unknown = sorted({a["country"] for a in actors if a["country"] and a["country"] not in known})
    assert unknown == []


def test_actors_status_is_given_for_parties_only(actors: Records) -> None:
    for actor in actors:
        if actor["kind"] != "party":
            assert actor["status"] == [], actor["key"]


def test_actors_status_periods_are_well_formed_and_ordered(actors: Records) -> None:
    for actor in actors:
        for period in actor["status"]:
            where = f"{actor['key']}: {period}"
            assert set(period) == {"status", "from", "to"}, where
            assert period["status"] in STATUSES, where
            _check_date(period["from"], where)
            if period["to"] is not None:
                _check_date(period["to"], where)
                assert _not_after(period["from"], period["to"]), where


def test_actors_status_periods_do_not_overlap(actors: Records) -> None:
    for actor in actors:
        periods = actor["status"]
        open_periods = [p for p in periods if p["to"] is None]
        assert len(open_periods) <= 1, actor["key"]
        ordered = sorted(periods, key=lambda p: p["from"])
        for before, after in itertools.pairwise(ordered):
            assert before["to"] is not None, f"{actor['key']}: open period before {after}"
            assert _not_after(before["to"], after["from"]), (
                f"{actor['key']}: {before} overlaps {after}"
            )


def test_actors_canonical_names_are_unique_within_a_country(actors: Records) -> None:
    groups: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for actor in actors:
        groups[(actor["country"], actor["name"].casefold())].append(actor["key"])
    clashes = {k: tuple(sorted(v)) for k, v in groups.items() if len(v) > 1}
    known = {(c, n.casefold()): keys for (c, n), (keys, _reason) in KNOWN_NAME_CLASHES.items()}
    assert clashes == known


def test_actors_abbreviations_are_unique_within_a_country(actors: Records) -> None:
    groups: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for actor in actors:
        for entry in actor["names"]:
            if entry["type"] == "abbreviation":
                groups[(actor["country"], entry["name"].casefold())].add(actor["key"])
    clashes = {k: tuple(sorted(v)) for k, v in groups.items() if len(v) > 1}
    known = {
        (c, n.casefold()): keys for (c, n), (keys, _reason) in KNOWN_ABBREVIATION_CLASHES.items()
    }
    assert clashes == known


def test_actors_external_ids_are_well_formed_and_not_shared(actors: Records) -> None:
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for actor in actors:
        schemes: Counter[str] = Counter()
        for identifier in actor["ids"]:
            assert set(identifier) == {"scheme", "value"}, actor["key"]
            pattern = ID_SCHEMES[identifier["scheme"]]
            assert pattern.fullmatch(identifier["value"]), f"{actor['key']}: {identifier}"
            schemes[identifier["scheme"]] += 1
            owners[(identifier["scheme"], identifier["value"])].append(actor["key"])
        assert all(count == 1 for count in schemes.values()), actor["key"]
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


# ---------------------------------------------------------------- actors: coverage


def test_actors_cover_enough_parties_and_organs(actors: Records) -> None:
    kinds = Counter(actor["kind"] for actor in actors)
    assert len(actors) >= 330
    assert kinds["party"] + kinds["party_organ"] >= 300
    assert kinds["party_organ"] >= 25
    assert kinds["government"] >= 15 and kinds["legislature"] >= 2


def test_actors_cover_many_countries_with_a_current_ruling_party(actors: Records) -> None:
    ruling = {
        actor["country"]
        for actor in actors
        if actor["kind"] == "party"
        and any(p["status"] == "ruling" and p["to"] is None for p in actor["status"])
    }
    assert len(ruling) >= 140


def test_actors_prominent_parties_have_their_original_name(actors: Records) -> None:
    parties = [a for a in actors if a["kind"] == "party"]
    with_original = [a for a in parties if any(n["type"] == "original" for n in a["names"])]
    assert len(with_original) >= 150


def test_actors_idcpc_is_an_organ_of_the_cpc(by_key: Index) -> None:
    idcpc = by_key["idcpc"]
    assert idcpc["kind"] == "party_organ" and idcpc["parent"] == "cpc"
    abbreviations = {n["name"] for n in idcpc["names"] if n["type"] == "abbreviation"}
    aliases = {n["name"] for n in idcpc["names"] if n["type"] == "alias"}
    assert {"IDCPC", "ILD"} <= abbreviations
    assert "International Liaison Department" in aliases
    assert by_key["cccws"]["parent"] == "idcpc"


def test_actors_party_foundations_are_think_tanks_of_their_party(by_key: Index) -> None:
    for key, party in (("kas", "cdu"), ("fes", "spd")):
        assert by_key[key]["kind"] == "organization"
        assert by_key[key]["org_type"] == "think_tank"
        assert by_key[key]["parent"] == party


def test_actors_transnational_bodies_have_no_country(by_key: Index) -> None:
    for key in (
        "si",
        "progressive_alliance",
        "cdi",
        "idu",
        "li",
        "copppal",
        "foro_sao_paulo",
        "icapp",
        "capp",
        "flmsa",
        "pes",
        "epp",
        "sco",
        "brics",
        "un",
        "unog",
        "au",
        "asean",
    ):
        assert by_key[key]["kind"] == "organization", key
        assert by_key[key]["country"] is None, key


@pytest.mark.parametrize(
    ("key", "abbreviation"),
    [
        ("anc", "ANC"),
        ("sacp", "SACP"),
        ("pt_bra", "PT"),
        ("psoe", "PSOE"),
        ("spd", "SPD"),
        ("cdu", "CDU"),
        ("ldp_jpn", "LDP"),
        ("bjp", "BJP"),
        ("inc", "INC"),
        ("umno", "UMNO"),
        ("pap", "PAP"),
        ("cpv", "CPV"),
        ("lprp", "LPRP"),
        ("wpk", "WPK"),
        ("pcc_cub", "PCC"),
        ("mpla", "MPLA"),
        ("frelimo", "FRELIMO"),
        ("swapo", "SWAPO"),
        ("zanu_pf", "ZANU-PF"),
        ("ccm", "CCM"),
        ("eprdf", "EPRDF"),
        ("cpc", "CPC"),
    ],
)
def test_actors_news_abbreviations_are_recorded(by_key: Index, key: str, abbreviation: str) -> None:
    assert abbreviation in {n["name"] for n in by_key[key]["names"] if n["type"] == "abbreviation"}


@pytest.mark.parametrize(
    ("key", "country"),
    [
        ("cpc", "CHN"),
        ("cpv", "VNM"),
        ("lprp", "LAO"),
        ("pcc_cub", "CUB"),
        ("wpk", "PRK"),
        ("anc", "ZAF"),
        ("prosperity_party", "ETH"),
        ("united_russia", "RUS"),
        ("pt_bra", "BRA"),
        ("labour_gbr", "GBR"),
        ("cdu", "DEU"),
        ("npp_lka", "LKA"),
        ("ndc_gha", "GHA"),
    ],
)
def test_actors_current_ruling_parties_are_marked_ruling(
    by_key: Index, key: str, country: str
) -> None:
    actor = by_key[key]
    assert actor["country"] == country
    assert any(p["status"] == "ruling" and p["to"] is None for p in actor["status"])


def test_actors_eprdf_rule_ended_when_the_prosperity_party_began(by_key: Index) -> None:
    eprdf_end = max(p["to"] for p in by_key["eprdf"]["status"] if p["status"] == "ruling")
    pp_start = min(p["from"] for p in by_key["prosperity_party"]["status"])
    assert eprdf_end == pp_start


# ---------------------------------------------------------------- mechanisms


def test_mechanisms_every_line_parses_as_an_object_with_the_fields(mechanisms: Records) -> None:
    for mechanism in mechanisms:
        assert set(mechanism) == MECHANISM_FIELDS, mechanism.get("key")
    assert "\\u" not in MECHANISMS_FILE.read_text(encoding="utf-8")


def test_mechanisms_keys_are_unique_and_names_present(mechanisms: Records) -> None:
    keys = [m["key"] for m in mechanisms]
    assert len(keys) == len(set(keys))
    assert all(KEY.fullmatch(key) for key in keys)
    names = [m["name"].casefold() for m in mechanisms]
    assert all(names) and len(names) == len(set(names))
    assert len(mechanisms) >= 30


def test_mechanisms_scope_region_and_description_are_valid(mechanisms: Records) -> None:
    for mechanism in mechanisms:
        assert mechanism["scope"] in SCOPES, mechanism["key"]
        assert mechanism["region"] is None or (
            isinstance(mechanism["region"], str) and mechanism["region"]
        )
        assert isinstance(mechanism["description"], str) and len(mechanism["description"]) > 20
        assert all(isinstance(a, str) and a for a in mechanism["aliases"]), mechanism["key"]
        assert len(set(mechanism["aliases"])) == len(mechanism["aliases"]), mechanism["key"]


def test_mechanisms_organizers_are_defined_actors(mechanisms: Records, by_key: Index) -> None:
    for mechanism in mechanisms:
        assert mechanism["organizer"] is None or mechanism["organizer"] in by_key, mechanism["key"]


def test_mechanisms_editions_are_well_formed(mechanisms: Records) -> None:
    for mechanism in mechanisms:
        numbers = []
        for edition in mechanism["editions"]:
            where = f"{mechanism['key']}: {edition}"
            assert set(edition) == EDITION_FIELDS, where
            assert isinstance(edition["name"], str) and edition["name"], where
            assert edition["channel"] in CHANNELS, where
            assert edition["country"] is None or COUNTRY.fullmatch(edition["country"]), where
            assert edition["number"] is None or (
                isinstance(edition["number"], int) and edition["number"] > 0
            )
            if edition["number"] is not None:
                numbers.append(edition["number"])
            _check_date(edition["date"], where)
            if edition["end_date"] is not None:
                _check_date(edition["end_date"], where)
                assert _not_after(edition["date"], edition["end_date"]), where
        assert len(numbers) == len(set(numbers)), mechanism["key"]
        names = [edition["name"] for edition in mechanism["editions"]]
        assert len(names) == len(set(names)), mechanism["key"]


def test_mechanisms_include_those_the_seeds_name(mechanisms: Records) -> None:
    names = {m["key"]: m["name"] for m in mechanisms}
    for key, name in SEED_MECHANISMS.items():
        assert names.get(key) == name, key
    regions = {
        m["region"] for m in mechanisms if m["scope"] == "regional" and m["organizer"] == "idcpc"
    }
    assert {
        "Africa",
        "Latin America and the Caribbean",
        "Central and Eastern Europe",
        "Arab states",
        "Central Asia",
        "Pacific islands",
    } <= regions


def test_mechanisms_belt_and_road_consultation_keeps_the_seed_phrasing(mechanisms: Records) -> None:
    mechanism = next(m for m in mechanisms if m["key"] == "br_party_consultation")
    assert any("mutual consultation mechanism" in alias for alias in mechanism["aliases"])


def test_mechanisms_2017_high_level_meeting_was_in_beijing_in_november(mechanisms: Records) -> None:
    meeting = next(m for m in mechanisms if m["key"] == "cpc_wpp_hlm")
    first = [e for e in meeting["editions"] if e["date"].startswith("2017")]
    assert len(first) == 1
    assert first[0]["date"].startswith("2017-11")
    assert (first[0]["city"], first[0]["country"], first[0]["channel"]) == (
        "Beijing",
        "CHN",
        "in_person",
    )
    assert any(
        e["date"].startswith("2023-03") and e["channel"] == "video" for e in meeting["editions"]
    )


def test_mechanisms_2021_summit_was_held_by_video_in_july(mechanisms: Records) -> None:
    summit = next(m for m in mechanisms if m["key"] == "cpc_wpp_summit")
    editions = [e for e in summit["editions"] if e["date"].startswith("2021")]
    assert len(editions) == 1
    assert editions[0]["date"].startswith("2021-07")
    assert editions[0]["channel"] == "video"
