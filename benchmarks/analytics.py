"""Analytics speed: time and peak memory of the full report on generated ledgers.

Usage: python benchmarks/analytics.py [--sizes 10000,100000,1000000]
       [--postgres postgres://user:pw@host:port/db] [--setups sqlite,postgres] [--keep DIR]

For each size, a fresh ledger (reference data loaded) is filled with generated counterparts,
exchanges, participations, attendances and claims (bulk inserts, not the audited actions: this
measures reading), then a second process builds the full report (figures, growth, contact,
network, claims) and renders it as HTML, printing the seconds and that process's peak memory.
  sqlite    embedded SQLite in a temporary folder
  postgres  a fresh database created on the server given by --postgres, dropped afterwards
With --keep DIR, each generated ledger is kept (SQLite file in DIR, PostgreSQL database
liaison_analytics_keep_SIZE) and reused by later runs, so only the report is measured again.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SEED = 7
HOME = "CHN"
HOME_ACTORS = 25
FOREIGN_ACTORS = 3_000
UNITS = 30
PEOPLE = 2_000
CHUNK = 20_000
FIRST_DAY = datetime.date(2005, 1, 1)
DAYS = (datetime.date(2025, 12, 31) - FIRST_DAY).days
# type: (weight, channels)
TYPES = {
    "meeting": (40, ["in_person", "video"]),
    "visit": (14, ["in_person"]),
    "conference": (3, ["in_person", "video"]),
    "briefing": (10, ["in_person", "video"]),
    "correspondence": (15, ["written"]),
    "agreement": (5, ["in_person"]),
    "assistance": (3, ["unknown"]),
    "call": (10, ["phone", "video"]),
}
CLAIMS = [
    (
        600,
        "more than",
        "political parties",
        "with more than 600 political parties and political organizations in over 160 countries",
    ),
    (
        160,
        "over",
        "countries",
        "with more than 600 political parties and political organizations in over 160 countries",
    ),
    (
        75,
        "over",
        "percent of them from developing countries",
        "over 75 percent of them from developing countries",
    ),
    (500, "over", "briefings", "It has held over 500 briefings since 2012."),
    (100, "nearly", "batches", "nearly 100 batches of local delegations abroad"),
    (
        1500,
        "more than",
        "congratulatory messages",
        "It sent more than 1,500 congratulatory messages.",
    ),
    (300, "about", "participants", "about 300 participants attended the forum"),
]


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.web.settings"
    import django

    django.setup()


def generate(size: int) -> None:
    """Fill the ledger of this process's LIAISON_HOME / DATABASE_URL with `size` exchanges."""
    _setup()
    from django.db import connection, transaction

    from liaison.ledger.models import (
        Actor,
        Attendance,
        Claim,
        Country,
        Exchange,
        Mechanism,
        Participation,
        Person,
        Unit,
    )

    rng = random.Random(SEED)
    countries = list(
        Country.objects.filter(kind="sovereign").exclude(iso3=HOME).values_list("iso3", flat=True)
    )
    with transaction.atomic():
        home = Actor.objects.bulk_create(
            Actor(name=f"Home organ {i}", kind="party_organ", country_id=HOME)
            for i in range(HOME_ACTORS)
        )
        kinds = ["party"] * 80 + ["organization"] * 10 + ["government"] * 7 + ["legislature"] * 3
        foreign = Actor.objects.bulk_create(
            Actor(
                name=f"Counterpart {i}",
                kind=rng.choice(kinds),
                country_id=rng.choice(countries) if rng.random() > 0.02 else None,
            )
            for i in range(FOREIGN_ACTORS)
        )
        root = Unit.objects.get_or_create(code="central", defaults={"name": "Central"})[0]
        units = Unit.objects.bulk_create(
            Unit(code=f"bench.{i}", name=f"Unit {i}", parent=root) for i in range(UNITS)
        )
        people = Person.objects.bulk_create(Person(name=f"Person {i}") for i in range(PEOPLE))
    mechanisms = list(Mechanism.objects.values_list("id", flat=True))
    names = list(TYPES)
    weights = [TYPES[t][0] for t in names]
    home_ids = [actor.pk for actor in home]
    foreign_ids = [actor.pk for actor in foreign]
    unit_ids = [unit.pk for unit in units]
    person_ids = [person.pk for person in people]
    # Plain multi-row inserts with ids chosen here: generating is not what is measured, and
    # model instances would make a million rows take many minutes.
    exchange_sql = (
        f"INSERT INTO {Exchange._meta.db_table} (id, type, channel, date, date_precision, city,"
        " country_id, mechanism_id, topics, summary, outcomes, unit_id, visibility,"
        " review_status, created_at) VALUES (%s, %s, %s, %s, 'day', '', %s, %s, '[]', '', '',"
        " %s, %s, %s, %s)"
    )
    part_sql = (
        f"INSERT INTO {Participation._meta.db_table} (exchange_id, actor_id, role)"
        " VALUES (%s, %s, %s)"
    )
    attend_sql = (
        f"INSERT INTO {Attendance._meta.db_table} (exchange_id, person_id, role)"
        " VALUES (%s, %s, '')"
    )
    now = datetime.datetime.now(tz=datetime.UTC)
    next_id = (Exchange.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    made = 0
    while made < size:
        batch = min(CHUNK, size - made)
        rows, parts, attendances = [], [], []
        for pk in range(next_id, next_id + batch):
            kind = rng.choices(names, weights)[0]
            rows.append(
                (
                    pk,
                    kind,
                    rng.choice(TYPES[kind][1]),
                    FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS)),
                    HOME if rng.random() < 0.5 else rng.choice(countries),
                    rng.choice(mechanisms) if kind == "conference" else None,
                    rng.choice(unit_ids),
                    "internal" if rng.random() < 0.1 else "public",
                    rng.choices(["confirmed", "proposed", "rejected"], [80, 15, 5])[0],
                    now,
                )
            )
            many = 4 + rng.randrange(9) if kind == "conference" else 1
            many += 1 if rng.random() < 0.1 else 0
            ours, theirs = (
                ("sender", "recipient") if rng.random() < 0.5 else ("recipient", "sender")
            )
            if kind != "correspondence":
                ours, theirs = ("host", "guest") if rng.random() < 0.5 else ("guest", "host")
            parts.append((pk, rng.choice(home_ids), ours))
            parts += [(pk, actor, theirs) for actor in rng.sample(foreign_ids, many)]
            if kind == "briefing":
                attendances.append((pk, rng.choice(person_ids)))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(exchange_sql, rows)
            cursor.executemany(part_sql, parts)
            cursor.executemany(attend_sql, attendances)
        next_id += batch
        made += batch
    if connection.vendor == "postgresql":
        # The ids were chosen here: move the sequence past them.
        table = Exchange._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT MAX(id) FROM {table}))"
            )
    with transaction.atomic():
        for index, (value, qualifier, subject, evidence) in enumerate(CLAIMS * 3):
            claim = Claim.objects.create(
                value=value,
                qualifier=qualifier,
                subject=subject,
                as_of=datetime.date(2016 + 3 * (index % 4), 6, 30),
            )
            # Evidence needs a source; the text alone is what the rules read.
            _evidence(claim, evidence)


def _evidence(claim: object, text: str) -> None:
    from liaison.ledger.models import Evidence, Source

    source, _ = Source.objects.get_or_create(title="benchmark", defaults={"text": ""})
    Evidence.objects.create(source=source, claim=claim, text=text)


def measure() -> None:
    """Build and render the full report, then print seconds and peak memory as JSON."""
    _setup()
    from liaison.analytics.render import render_html
    from liaison.analytics.report import build_report
    from liaison.analytics.scope import build_scope

    started = time.perf_counter()
    cpu = time.process_time()
    report = build_report(build_scope(date_to=datetime.date(2025, 12, 31)))
    html = render_html(report)
    seconds = time.perf_counter() - started
    # This process's own CPU time (with SQLite, the database's work too): on a shared machine
    # it varies less than the wall-clock time.
    cpu_seconds = time.process_time() - cpu
    figures = report.figures
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "cpu_s": round(cpu_seconds, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "exchanges": figures.exchanges,
                "counterparts": figures.counterparts,
                "network_nodes": report.network.nodes,
                "network_edges": report.network.edges,
                "claims": len(report.claims),
                "html_kb": round(len(html) / 1024),
            }
        )
    )


def _postgres_database(url: str, name: str, create: bool) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _child(env: dict[str, str], *args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1:])
    lines = out.stdout.strip().splitlines()
    figures: dict[str, float] = json.loads(lines[-1]) if lines else {}
    return figures


def run(
    setup: str, size: int, base: Path, postgres: str | None, keep: Path | None = None
) -> dict[str, float] | str:
    """Generate a ledger of `size` exchanges with one setup and measure the report on it.

    With `keep`, the ledger is kept there (and reused when a previous run made it).
    """
    home = keep / f"{setup}-{size}" if keep else Path(tempfile.mkdtemp(prefix="liaison-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    made = home / "generated"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LIAISON_DB_PATH")}
    env["LIAISON_HOME"] = str(home)
    database = None
    try:
        if setup == "postgres":
            if not postgres:
                return "skipped: give --postgres URL"
            database = (
                f"liaison_analytics_keep_{size}" if keep else f"liaison_analytics_{os.getpid()}"
            )
            if made.exists():
                env["DATABASE_URL"] = urlunsplit(urlsplit(postgres)._replace(path=f"/{database}"))
            else:
                env["DATABASE_URL"] = _postgres_database(postgres, database, create=True)
                init = [sys.executable, "-m", "liaison", "init"]
                subprocess.run(init, env=env, check=True, capture_output=True)
        elif not made.exists():
            shutil.copy(base / "liaison.sqlite3", home / "liaison.sqlite3")
            shutil.copy(base / "secret_key", home / "secret_key")
        generated = 0.0
        if not made.exists():
            started = time.perf_counter()
            _child(env, "--child", "generate", str(size))
            generated = time.perf_counter() - started
            if keep:
                made.touch()
        figures = _child(env, "--child", "measure", "0")
        figures["generate_s"] = round(generated, 1)
        return figures
    except RuntimeError as error:
        return f"failed: {error}"
    finally:
        if not keep:
            shutil.rmtree(home, ignore_errors=True)
            if database and postgres:
                _postgres_database(postgres, database, create=False)


def main() -> None:
    """Run each size with each setup and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--postgres", help="URL of a PostgreSQL server where we may CREATEDB")
    parser.add_argument("--setups", default="sqlite,postgres")
    parser.add_argument("--keep", type=Path, help="keep generated ledgers here and reuse them")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        generate(int(args.child[1])) if args.child[0] == "generate" else measure()
        return
    base = Path(tempfile.mkdtemp(prefix="liaison-analytics-base-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LIAISON_DB_PATH")}
    subprocess.run(
        [sys.executable, "-m", "liaison", "init"],
        env={**env, "LIAISON_HOME": str(base)},
        check=True,
        capture_output=True,
    )
    for size in (int(s) for s in args.sizes.split(",")):
        for setup in args.setups.split(","):
            result = run(setup, size, base, args.postgres, args.keep)
            if isinstance(result, str):
                print(f"{size:>9,} exchanges  {setup:8s} {result}", flush=True)
                continue
            print(
                f"{size:>9,} exchanges  {setup:8s} report {result['seconds']:>6} s"
                f" (process CPU {result['cpu_s']} s)  "
                f"peak RSS {result['peak_rss_mb']} MB  (network {result['network_nodes']} nodes,"
                f" {result['network_edges']} ties; {result['claims']} claims; generated in"
                f" {result['generate_s']} s)",
                flush=True,
            )
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
