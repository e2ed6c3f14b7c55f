"""Import the Party Facts core-parties CSV: every party, linked by its Party Facts id."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from liaison.domain.enums import ActorKind, NameType
from liaison.ledger import actions
from liaison.ledger.actions import SYSTEM, Author
from liaison.ledger.importers.common import ImportReport, RowError, run_import
from liaison.ledger.models import Actor, ActorName, Country, ExternalId, ImportBatch
from liaison.ledger.models.fields import normalize_name

COLUMNS = (
    "country",
    "partyfacts_id",
    "technical",
    "name_short",
    "name",
    "name_english",
    "name_other",
    "year_first",
    "year_last",
    "wikipedia",
    "description",
)
SCHEME = "partyfacts"
_LANGUAGE_PREFIX = re.compile(r"^[A-Z][A-Za-z ]{1,30}:\s*")


def _year(value: str, column: str, row: int, errors: list[RowError]) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1000 <= int(value) <= 2100:
        errors.append(RowError(row, column, f"{value!r} is not a year"))
        return None
    return int(value)


def _names(row: dict[str, str], canonical: str) -> list[actions.NameInput]:
    """Every further name the row gives: the rest of the English names, original, other, short."""
    found: list[actions.NameInput] = []
    english = [n.strip() for n in row["name_english"].split(" / ") if n.strip()]
    found += [actions.NameInput(n, NameType.ALIAS) for n in english[1:]]
    if row["name"] and normalize_name(row["name"]) != normalize_name(canonical):
        found.append(actions.NameInput(row["name"], NameType.ORIGINAL))
    for other in row["name_other"].split(" / "):
        other = _LANGUAGE_PREFIX.sub("", other.strip()).replace("\u200e", "").strip()
        if other:
            found.append(actions.NameInput(other, NameType.ORIGINAL))
    if row["name_short"] and normalize_name(row["name_short"]) != normalize_name(canonical):
        found.append(actions.NameInput(row["name_short"], NameType.ABBREVIATION))
    return found


class _Registry:
    """What the ledger already holds: linked Party Facts ids, and unlinked parties by name."""

    def __init__(self) -> None:
        self.linked = dict(
            ExternalId.objects.filter(scheme=SCHEME).values_list("value", "actor_id")
        )
        self.countries = set(Country.objects.values_list("iso3", flat=True))
        self.wikipedia = set(
            ExternalId.objects.filter(scheme="wikipedia").values_list("value", flat=True)
        )
        linked_ids = set(self.linked.values())
        self.unlinked: dict[tuple[str, str], set[int]] = defaultdict(set)
        parties = Actor.objects.filter(kind=ActorKind.PARTY, merged_into=None).exclude(
            id__in=linked_ids
        )
        for actor_id, country, name in parties.values_list("id", "country_id", "name"):
            self.unlinked[(country or "", normalize_name(name))].add(actor_id)
        names = ActorName.objects.filter(actor__in=parties).exclude(name_type=NameType.ABBREVIATION)
        for actor_id, country, normalized in names.values_list(
            "actor_id", "actor__country_id", "normalized"
        ):
            self.unlinked[(country or "", normalized)].add(actor_id)

    def match(self, country: str, names: list[str]) -> int | None:
        """Return the one unlinked party of this country with one of these names, if exactly one."""
        found: set[int] = set()
        for name in names:
            found |= self.unlinked.get((country, normalize_name(name)), set())
        return found.pop() if len(found) == 1 else None


def _link_wikipedia(
    registry: _Registry, actor: Actor, url: str, author: Author, batch: ImportBatch
) -> bool:
    """Link an actor to its Wikipedia article, unless another party already has that link."""
    # Party Facts sometimes points two parties (a party and its successor) at one article.
    if not url or url in registry.wikipedia:
        return False
    registry.wikipedia.add(url)
    return actions.add_external_id(actor, "wikipedia", url, author, batch) is not None


def _import_row(
    line: int,
    row: dict[str, str],
    registry: _Registry,
    report: ImportReport,
    author: Author,
    batch: ImportBatch,
) -> None:
    errors: list[RowError] = []
    pf_id = row["partyfacts_id"]
    if not pf_id.isdigit():
        errors.append(RowError(line, "partyfacts_id", f"{pf_id!r} is not a Party Facts id"))
    country = row["country"].upper()
    if country not in registry.countries:
        errors.append(RowError(line, "country", f"{row['country']!r} is not a known country code"))
    founded = _year(row["year_first"], "year_first", line, errors)
    dissolved = _year(row["year_last"], "year_last", line, errors)
    english = [n.strip() for n in row["name_english"].split(" / ") if n.strip()]
    canonical = english[0] if english else row["name"]
    if not canonical:
        errors.append(RowError(line, "name", "the row has no name"))
    if founded and dissolved and dissolved < founded:
        errors.append(RowError(line, "year_last", f"ends ({dissolved}) before it starts"))
    if errors:
        report.add_errors(errors)
        return
    names = _names(row, canonical)
    actor_id = registry.linked.get(pf_id) or registry.match(
        country, [canonical, *(n.name for n in names if n.name_type is not NameType.ABBREVIATION)]
    )
    if actor_id is None:
        ids = [(SCHEME, pf_id)]
        if row["wikipedia"] and row["wikipedia"] not in registry.wikipedia:
            registry.wikipedia.add(row["wikipedia"])
            ids.append(("wikipedia", row["wikipedia"]))
        actor = actions.create_actor(
            actions.ActorInput(
                name=canonical,
                kind=ActorKind.PARTY,
                country=country,
                founded=founded,
                dissolved=dissolved,
                description=row["description"],
                names=tuple(names),
                external_ids=tuple(ids),
            ),
            author,
            batch,
        )
        registry.linked[pf_id] = actor.pk
        report.created += 1
        return
    actor = Actor.objects.get(pk=actor_id)
    values: dict[str, object] = {"founded": founded, "dissolved": dissolved}
    if actor.key is None:  # our own registry's names and countries win over the import
        values |= {"name": canonical, "country_id": country, "description": row["description"]}
    changed = actions.update_actor(actor, values, author, batch)
    for name in names:
        changed |= actions.add_actor_name(actor, name, author, batch) is not None
    changed |= actions.add_external_id(actor, SCHEME, pf_id, author, batch) is not None
    changed |= _link_wikipedia(registry, actor, row["wikipedia"], author, batch)
    registry.linked[pf_id] = actor.pk
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1


def import_partyfacts(
    path: Path,
    dry_run: bool = False,
    author: Author = SYSTEM,
    encoding: str = "utf-8",
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Load a Party Facts core-parties CSV; a second run of the same file changes nothing."""

    def make_handler(
        batch: ImportBatch, report: ImportReport
    ) -> Callable[[int, dict[str, str]], None]:
        registry = _Registry()

        def handle(line: int, row: dict[str, str]) -> None:
            if row["technical"]:
                report.skipped += 1  # Party Facts' placeholder rows ("1 percent", "alliance")
            else:
                _import_row(line, row, registry, report, author, batch)

        return handle

    return run_import("partyfacts", path, COLUMNS, make_handler, dry_run, author, encoding, on_row)
