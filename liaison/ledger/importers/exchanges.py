"""Import exchanges from CSV in liaison's documented column format (docs/import-exchanges.md)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from liaison.domain.dates import PartialDate
from liaison.domain.enums import Channel, ExchangeType, ParticipantRole, Visibility
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions
from liaison.ledger.actions import SYSTEM, Author
from liaison.ledger.importers.common import ImportReport, RowError, run_import
from liaison.ledger.models import (
    Actor,
    Country,
    Exchange,
    ImportBatch,
    Mechanism,
    MechanismEdition,
    Unit,
)
from liaison.ledger.queries import ActorIndex

COLUMNS = (
    "ref",
    "date",
    "end_date",
    "type",
    "channel",
    "city",
    "country",
    "participants",
    "people",
    "mechanism",
    "edition",
    "topics",
    "summary",
    "outcomes",
    "unit",
    "visibility",
    "source_url",
    "source_title",
    "source_outlet",
    "source_published",
    "evidence",
)
REQUIRED = ("date", "type", "participants")
E = TypeVar("E", ExchangeType, Channel, Visibility, ParticipantRole)


class _Lookups:
    """The registry tables a row refers to, loaded once."""

    def __init__(self) -> None:
        self.actors = ActorIndex()
        self.countries = set(Country.objects.values_list("iso3", flat=True))
        self.units = {u.code: u for u in Unit.objects.all()}
        self.mechanisms = {m.name.casefold(): m for m in Mechanism.objects.all()}
        for mechanism in list(self.mechanisms.values()):
            for alias in mechanism.aliases:
                self.mechanisms.setdefault(str(alias).casefold(), mechanism)

    def actor(self, name: str) -> Actor | str:
        """Return the one actor with this name, or a message saying why there is none."""
        ids = self.actors.candidates(name)
        if len(ids) == 1:
            return Actor.objects.get(pk=ids.pop())
        if not ids:
            return f"no actor is named {name!r}; add it to the registry or use a known alias"
        return f"{name!r} names {len(ids)} actors; use the full name"


class _Row:
    """One CSV row parsed into an ExchangeInput, collecting every problem it has."""

    def __init__(self, line: int, row: dict[str, str], lookups: _Lookups) -> None:
        self.line, self.row, self.lookups = line, row, lookups
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def date(self, column: str, required: bool) -> PartialDate | None:
        text = self.row.get(column, "")
        if not text:
            if required:
                self.error(column, "a date is required (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        try:
            return PartialDate.parse(text)
        except LiaisonError as error:
            self.error(column, error.message)
            return None

    def choice(
        self, column: str, enum: type[E], default: E | None, text: str | None = None
    ) -> E | None:
        value = self.row.get(column, "") if text is None else text
        if not value and default is not None:
            return default
        try:
            return enum(value.strip().lower().replace(" ", "_"))
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            self.error(column, f"{value!r} is not one of {allowed}")
            return None

    def participants(self) -> tuple[tuple[Actor, ParticipantRole], ...]:
        found: list[tuple[Actor, ParticipantRole]] = []
        for item in filter(None, (p.strip() for p in self.row["participants"].split(";"))):
            name, _, role_text = item.partition("|")
            role = self.choice(
                "participants", ParticipantRole, ParticipantRole.PARTICIPANT, role_text
            )
            actor = self.lookups.actor(name.strip())
            if isinstance(actor, str):
                self.error("participants", actor)
            elif role is not None:
                found.append((actor, role))
        if not found and not self.errors:
            self.error("participants", "at least one participant is required")
        return tuple(found)

    def people(self) -> tuple[actions.PersonInput, ...]:
        found = []
        for item in filter(None, (p.strip() for p in self.row.get("people", "").split(";"))):
            name, role, org_name = ([*item.split("|"), "", ""])[:3]
            org = self.lookups.actor(org_name.strip()) if org_name.strip() else None
            if isinstance(org, str):
                self.error("people", org)
                org = None
            found.append(actions.PersonInput(name.strip(), role.strip(), org))
        return tuple(found)

    def mechanism(self) -> tuple[Mechanism | None, MechanismEdition | None]:
        name, edition_name = self.row.get("mechanism", ""), self.row.get("edition", "")
        if not name:
            if edition_name:
                self.error("edition", "an edition needs its mechanism")
            return None, None
        mechanism = self.lookups.mechanisms.get(name.casefold())
        if mechanism is None:
            self.error("mechanism", f"no mechanism is named {name!r}")
            return None, None
        if not edition_name:
            return mechanism, None
        edition = mechanism.editions.filter(name=edition_name).first()
        if edition is None:
            self.error("edition", f"{name!r} has no edition named {edition_name!r}")
        return mechanism, edition

    def evidence(self) -> tuple[actions.EvidenceInput, ...]:
        url, text = self.row.get("source_url", ""), self.row.get("evidence", "")
        if not url and not text:
            return ()
        published = self.date("source_published", required=False)
        source = actions.SourceInput(
            url=url,
            title=self.row.get("source_title", ""),
            outlet=self.row.get("source_outlet", ""),
            published=published.first_day if published else None,
        )
        return (actions.EvidenceInput(source=source, text=text or url),)

    def parse(self) -> actions.ExchangeInput | None:
        row = self.row
        when = self.date("date", required=True)
        end = self.date("end_date", required=False)
        kind = self.choice("type", ExchangeType, None)
        channel = self.choice("channel", Channel, Channel.UNKNOWN)
        visibility = self.choice("visibility", Visibility, Visibility.PUBLIC)
        country = row.get("country", "").upper()
        if country and country not in self.lookups.countries:
            self.error("country", f"{row['country']!r} is not a known ISO 3166 alpha-3 code")
        unit = self.lookups.units.get(row.get("unit", "")) if row.get("unit") else None
        if row.get("unit") and unit is None:
            self.error("unit", f"no unit has the code {row['unit']!r}")
        participants, people = self.participants(), self.people()
        mechanism, edition = self.mechanism()
        evidence = self.evidence()
        if when and end and end.last_day < when.first_day:
            self.error("end_date", f"{end} is before the date {when}")
        if self.errors or when is None or kind is None or channel is None or visibility is None:
            return None
        return actions.ExchangeInput(
            type=kind,
            date=when,
            end_date=end.last_day if end else None,
            channel=channel,
            city=row.get("city", ""),
            country=country or None,
            participants=participants,
            people=people,
            mechanism=mechanism,
            edition=edition,
            topics=tuple(t.strip() for t in row.get("topics", "").split(";") if t.strip()),
            summary=row.get("summary", ""),
            outcomes=row.get("outcomes", ""),
            unit=unit,
            visibility=visibility,
            external_ref=self.ref(),
            evidence=evidence,
        )

    def ref(self) -> str:
        """Return the row's stable id: its ref column, else a hash of its content."""
        if self.row.get("ref"):
            return self.row["ref"]
        content = "\x1f".join(self.row.get(c, "") for c in COLUMNS)
        return "csv:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]


def import_exchanges(
    path: Path,
    dry_run: bool = False,
    author: Author = SYSTEM,
    encoding: str = "utf-8",
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Record the exchanges of a CSV file; all rows or none; a second run changes nothing."""

    def make_handler(
        batch: ImportBatch, report: ImportReport
    ) -> Callable[[int, dict[str, str]], None]:
        lookups = _Lookups()
        seen: dict[str, int] = {}

        def handle(line: int, row: dict[str, str]) -> None:
            parsed = _Row(line, row, lookups)
            data = parsed.parse()
            if data is None:
                report.add_errors(parsed.errors)
                return
            ref = data.external_ref or ""
            if ref in seen:
                report.add_errors([RowError(line, "ref", f"repeats row {seen[ref]}")])
                return
            seen[ref] = line
            if report.errors:
                return  # keep checking the rows, but write nothing more
            existing = Exchange.objects.filter(external_ref=ref).first()
            if existing is None:
                actions.record_exchange(data, author, batch)
                report.created += 1
            elif actions.update_exchange(existing, data, author, batch):
                report.updated += 1
            else:
                report.unchanged += 1

        return handle

    return run_import("exchanges", path, REQUIRED, make_handler, dry_run, author, encoding, on_row)
