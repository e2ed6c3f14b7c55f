"""Build the demo ledger from the sample data shipped with liaison."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from liaison.domain.enums import UserRole
from liaison.ingest.run import ingest_paths
from liaison.ledger import actions
from liaison.ledger.database import describe, migrate
from liaison.ledger.importers.exchanges import import_exchanges
from liaison.ledger.models import Exchange, Source, Unit
from liaison.ledger.reference import load_reference

DEMO_USER = "demo"
DEMO_PASSWORD = "liaison-demo"  # a throwaway account of a local demo database, printed on start
AUTHOR = actions.Author(None, "demo")


@dataclass(frozen=True)
class DemoInfo:
    """Where the demo ledger is and how to log in."""

    database: str
    username: str
    password: str
    summary: str


def _samples() -> Path:
    return Path(str(resources.files("liaison.samples")))


def _load_units() -> None:
    with (_samples() / "units.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parent = Unit.objects.get(code=row["parent"]) if row["parent"] else None
            actions.ensure_unit(row["code"], row["name"], parent, AUTHOR)


def prepare_demo(progress: Callable[[str], None]) -> DemoInfo:
    """Create the demo database, load reference and sample data, and the demo user; idempotent."""
    progress("creating the database…")
    migrate()
    progress("loading reference data…")
    load_reference(AUTHOR)
    _load_units()
    exchanges_csv = _samples() / "exchanges.csv"
    if exchanges_csv.exists():
        progress("importing sample exchanges…")
        import_exchanges(exchanges_csv, author=AUTHOR)
    progress("ingesting the sample press texts (the malformed ones are set aside)…")
    report = ingest_paths([str(_samples() / "press")], AUTHOR)
    if not Unit.objects.get(code="central").members.filter(user__username=DEMO_USER).exists():
        actions.create_user(
            DEMO_USER,
            DEMO_PASSWORD,
            UserRole.ADMIN,
            Unit.objects.get(code="central"),
            author=AUTHOR,
        )
    return DemoInfo(
        database=describe(),
        username=DEMO_USER,
        password=DEMO_PASSWORD,
        summary=(
            f"{Exchange.objects.count()} exchanges, {Source.objects.count()} sources, "
            f"{len(report.failures)} sample inputs set aside"
        ),
    )
