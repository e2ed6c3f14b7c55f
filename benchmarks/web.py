"""Web latency: p50/p95 of the main pages under concurrent clients, on SQLite and PostgreSQL.

Usage: python benchmarks/web.py [--exchanges 1000000] [--actors 20000] [--clients 20]
       [--requests 200] [--setups sqlite,postgres] [--postgres postgres://user:pw@host:port/db]
       [--workers N] [--threads N] [--worker-class C] [--keep-alive S] [--worker-connections N]
       [--only dashboard,search,...] [--cache DIR] [--regenerate]

Generates a ledger (reference data, units, two viewers, then actors, people, sources, exchanges,
participations, attendances and evidence written in bulk: benchmark data, not ledger history),
keeps it (an SQLite file in --cache, a database named after its size on the PostgreSQL server)
so that a rerun only migrates it, then serves the real app with gunicorn (benchmarks/
requirements-web.txt) in the layout of liaison.web.gunicorn_conf and times four requests
under --clients threads, each with its own connection (kept alive as long as the server keeps
it), as a viewer of the central unit and as a viewer of a province:
  dashboard      /
  search         /exchanges/?q=WORD&type=T&channel=C
  counterpart    /actors/ID/ of one of the busiest counterparts
  api list       /api/exchanges/?type=T&year=Y (a bearer token)
Two more are never the same twice, so that what the app keeps between requests cannot answer
them (the cost of a first visit):
  new search     /exchanges/?q=WORD&type=T&channel=C&year=Y
  any counterpart  /actors/ID/ of any counterpart, drawn in proportion to its exchanges (the
                 busiest come up often enough to be kept after their first visit)
The first request of each client is timed apart ("cold": the worst of them) and left out of
p50/p95, which describe a warm server: timing starts when every client has its first answer.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit, urlunsplit

HERE = Path(__file__).resolve()
GOAL_MS = 300
BATCH = 20_000

KINDS = [("party", 60), ("party_organ", 10), ("government", 12), ("legislature", 10)]
KINDS += [("organization", 8)]
FAMILIES = ["socialist", "social democratic", "conservative", "liberal", "green", "communist"]
FAMILIES += ["nationalist", "christian democratic", "agrarian", ""]
TYPES = [("meeting", 40), ("visit", 20), ("conference", 10), ("briefing", 8)]
TYPES += [("correspondence", 10), ("agreement", 4), ("assistance", 3), ("call", 5)]
CHANNELS = [("in_person", 60), ("video", 12), ("phone", 8), ("written", 12), ("unknown", 8)]
TOPICS = ["trade", "education", "governance", "poverty reduction", "climate", "security"]
TOPICS += ["party building", "youth", "health", "infrastructure", "culture", "agriculture"]
CITIES = ["Beijing", "Shanghai", "Nairobi", "Hanoi", "Lima", "Pretoria", "Belgrade", "Dhaka"]
CITIES += ["Accra", "Tashkent", "Havana", "Jakarta", "Addis Ababa", "Brasilia", "Vientiane"]
ROLES = ["host", "guest", "participant", "delegation_head"]
WORDS = ["cooperation", "exchange", "dialogue", "seminar", "delegation", "training", "forum"]
NAME_WORDS = ["People's", "Democratic", "National", "United", "Popular", "Progressive"]
NAME_WORDS += ["Workers'", "Socialist", "Liberal", "Republican", "Revolutionary", "Green"]
NAME_WORDS += ["Labour", "Civic", "Patriotic", "Unity", "Renewal", "Justice", "Freedom"]
SEARCHES = ["trade", "climate", "youth", "Hanoi", "seminar", "party building", "Labour"]
PROVINCES = 8
BULK_TABLES = ["ledger_actor", "ledger_actorname", "ledger_person", "ledger_source"]
BULK_TABLES += ["ledger_exchange", "ledger_participation", "ledger_attendance", "ledger_evidence"]
SOURCE_COLUMNS = ["id", "url", "title", "outlet", "published", "language", "content_hash"]
SOURCE_COLUMNS += ["text", "doc"]
USERS = {"central": "central", "province": "province-1"}
PASSWORD = "bench-only-password-7"  # a throwaway user in a throwaway ledger


def _weighted(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


# ---------------------------------------------------------------------------------------------
# In the child process: generate, prepare.


def _django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.web.settings"
    import django

    django.setup()


class Writer:
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw: Any = connection.connection

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Write every row; return how many."""
        count = 0
        if self.vendor == "postgresql":
            names = ", ".join(columns)
            copy = f"COPY {table} ({names}) FROM STDIN"
            with self.raw.cursor() as cursor, cursor.copy(copy) as rows_in:
                for row in rows:
                    rows_in.write_row(row)
                    count += 1
            self.raw.commit()
            return count
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        cursor = self.raw.cursor()
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        self.raw.commit()
        return count + len(batch)

    def next_id(self, table: str) -> int:
        """Return one more than the largest id in a table."""
        cursor = self.raw.cursor()
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        value = int(cursor.fetchone()[0])
        cursor.close()
        return value

    def reset_sequences(self, tables: Sequence[str]) -> None:
        """Make PostgreSQL's id sequences follow the ids written explicitly."""
        if self.vendor != "postgresql":
            return
        with self.raw.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
        self.raw.commit()


def generate(exchanges: int, actors: int, seed: int = 5) -> None:
    """Create the ledger: reference data, units, users, then the generated rows in bulk."""
    _django()
    from liaison.domain.enums import UserRole
    from liaison.ledger import actions
    from liaison.ledger.database import migrate
    from liaison.ledger.models import Country, Mechanism
    from liaison.ledger.models.fields import normalize_name
    from liaison.ledger.reference import load_reference

    rng = random.Random(seed)
    started = time.perf_counter()
    migrate()
    load_reference()
    central = actions.ensure_unit("central", "Central department")
    units = [central.pk]
    for number in range(1, PROVINCES + 1):
        unit = actions.create_unit(f"province-{number}", f"Province {number}", central)
        units.append(unit.pk)
    for name, code in USERS.items():
        unit = central if code == "central" else unit_by_code(code)
        actions.create_user(f"viewer-{name}", PASSWORD, UserRole.VIEWER, unit)
    countries = list(
        Country.objects.filter(kind="sovereign").order_by("iso3").values_list("iso3", flat=True)
    )
    rng.shuffle(countries)
    # A few countries see most of the contacts, as in life.
    # Cumulative weights, worked out once: rng.choices would add them up again at every draw.
    country_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(countries)))
    )
    mechanisms = list(Mechanism.objects.values_list("id", flat=True))
    writer = Writer()
    now = datetime.datetime.now(tz=datetime.UTC)
    print(f"reference data and users in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    first_actor = writer.next_id("ledger_actor")
    actor_ids = list(range(first_actor, first_actor + actors))
    kinds, kind_weights = _weighted(KINDS)
    actor_rows = []
    name_rows = []
    for number, pk in enumerate(actor_ids):
        country = rng.choices(countries, cum_weights=country_weights)[0]
        kind = rng.choices(kinds, kind_weights)[0]
        family = rng.choice(FAMILIES) if kind == "party" else ""
        words = " ".join(rng.sample(NAME_WORDS, 2))
        name = f"{words} {kind.replace('_', ' ').title()} {number} of {country}"
        status = "proposed" if rng.random() < 0.02 else "confirmed"
        org = "ngo" if kind == "organization" else ""
        actor_rows.append(
            (pk, kind, org, name, country, family, "", status, now, None, None, None, None)
        )
        if rng.random() < 0.5:
            alias = f"{''.join(w[0] for w in name.split()[:2]).upper()}{number}"
            name_rows.append((pk, alias, normalize_name(alias), "abbreviation", "", ""))
    columns = ["id", "kind", "org_type", "name", "country_id", "family", "description"]
    columns += ["review_status", "created_at", "key", "parent_id", "founded", "dissolved"]
    writer.write("ledger_actor", columns, actor_rows)
    writer.write(
        "ledger_actorname",
        ["actor_id", "name", "normalized", "name_type", "lang", "script"],
        name_rows,
    )
    people = max(actors // 8, 10)
    first_person = writer.next_id("ledger_person")
    writer.write(
        "ledger_person",
        ["id", "name", "normalized", "country_id"],
        (
            (first_person + n, f"Person {n}", f"person {n}", rng.choice(countries))
            for n in range(people)
        ),
    )
    sources = max(exchanges // 50, 10)
    first_source = writer.next_id("ledger_source")
    writer.write(
        "ledger_source",
        [*SOURCE_COLUMNS, "version", "created_at"],
        (
            (
                first_source + n,
                f"https://news.example.org/{n}",
                f"Report {n} on party exchanges",
                rng.choice(["Daily", "Weekly", "Courier"]),
                datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(9800)),
                "en",
                f"{n:064x}",
                f"Report {n}: delegations met to discuss cooperation.",
                "",
                1,
                now,
            )
            for n in range(sources)
        ),
    )
    actor_weights = [1 / (rank + 1) ** 0.8 for rank in range(actors)]
    cumulative = list(_accumulate(actor_weights))
    types, type_weights = _weighted(TYPES)
    channels, channel_weights = _weighted(CHANNELS)
    first = writer.next_id("ledger_exchange")
    start = datetime.date(2000, 1, 1)
    span = (datetime.date(2026, 11, 1) - start).days
    participations: list[tuple[int, int, str]] = []
    attendances: list[tuple[int, int, str, int]] = []
    evidence: list[tuple[int, int, str, int, int, float]] = []

    def exchange_rows() -> Iterator[tuple[Any, ...]]:
        for pk in range(first, first + exchanges):
            # More exchanges in recent years: the square root of a uniform draw leans late.
            day = start + datetime.timedelta(days=int(span * rng.random() ** 0.6))
            kind = rng.choices(types, type_weights)[0]
            channel = rng.choices(channels, channel_weights)[0]
            who = {
                actor_ids[_pick(cumulative, rng.random())] for _ in range(rng.choice((1, 1, 2, 3)))
            }
            for number, actor in enumerate(sorted(who)):
                participations.append((pk, actor, ROLES[min(number, 3)]))
            if rng.random() < 0.3:
                org = next(iter(who))
                attendances.append((pk, first_person + rng.randrange(people), "minister", org))
            if rng.random() < 0.05:
                evidence.append((first_source + rng.randrange(sources), pk, "met", 0, 3, 0.9))
            topics = rng.sample(TOPICS, rng.choice((1, 2, 3)))
            word = rng.choice(WORDS)
            summary = f"A {kind} on {', '.join(topics)}: {word} between the delegations."
            rand = rng.random()
            status = "proposed" if rand < 0.03 else "rejected" if rand < 0.04 else "confirmed"
            internal = rng.random() < 0.1
            yield (
                pk,
                kind,
                channel,
                day,
                rng.choices(("day", "month", "year"), (90, 8, 2))[0],
                rng.choice(CITIES),
                rng.choices(countries, cum_weights=country_weights)[0],
                rng.choice(mechanisms) if mechanisms and rng.random() < 0.1 else None,
                json.dumps(topics),
                summary,
                "",
                rng.choices(units, [4] + [1] * PROVINCES)[0],
                "internal" if internal else "public",
                status,
                now,
            )

    columns = ["id", "type", "channel", "date", "date_precision", "city", "country_id"]
    columns += ["mechanism_id", "topics", "summary", "outcomes", "unit_id", "visibility"]
    columns += ["review_status", "created_at"]
    written = writer.write("ledger_exchange", columns, exchange_rows())
    writer.write("ledger_participation", ["exchange_id", "actor_id", "role"], participations)
    writer.write("ledger_attendance", ["exchange_id", "person_id", "role", "org_id"], attendances)
    writer.write(
        "ledger_evidence",
        ["source_id", "exchange_id", "text", "start", '"end"', "confidence"],
        evidence,
    )
    writer.reset_sequences(BULK_TABLES)
    _analyze(writer)
    print(
        f"{written} exchanges, {len(participations)} participations, {actors} actors "
        f"in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


def unit_by_code(code: str) -> Any:
    """Return a unit by its code."""
    from liaison.ledger.models import Unit

    return Unit.objects.get(code=code)


def _accumulate(weights: Sequence[float]) -> Iterator[float]:
    total = sum(weights)
    running = 0.0
    for weight in weights:
        running += weight / total
        yield running


def _pick(cumulative: Sequence[float], draw: float) -> int:
    import bisect

    return min(bisect.bisect_left(cumulative, draw), len(cumulative) - 1)


def _analyze(writer: Writer) -> None:
    """Give the query planner fresh statistics after the bulk load."""
    cursor = writer.raw.cursor()
    cursor.execute("ANALYZE")
    cursor.close()
    writer.raw.commit()


def prepare() -> None:
    """Migrate the kept ledger, log the two viewers in, make their tokens; print what to ask."""
    _django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.db.models import Count

    from liaison.ledger.actions import Author
    from liaison.ledger.database import migrate
    from liaison.ledger.models import Participation
    from liaison.web.apitokens.tokens import create_token

    migrate()
    writer = Writer()
    _analyze(writer)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    users = {}
    for name in USERS:
        user = User.objects.get(username=f"viewer-{name}")
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        _, token = create_token(user, "web benchmark", Author(user, "cli"))
        users[name] = {"session": session.session_key, "token": token}
    busiest = list(
        Participation.objects.values("actor_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("actor_id", flat=True)[:10]
    )
    # Users reach counterparts from lists of exchanges: "any counterpart" draws one in proportion
    # to its exchanges, so that busy ones (whose pages cost the most) come up as often as that.
    actors = list(
        Participation.objects.order_by()
        .values("actor_id")
        .annotate(n=Count("id"))
        .values_list("actor_id", "n")
    )
    print(json.dumps({"users": users, "busy_actors": busiest, "actors": actors}))


# ---------------------------------------------------------------------------------------------
# In the parent: ledgers, servers, clients.


def _postgres_url(base: str, name: str) -> str:
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def _postgres(base: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        cursor = connection.execute(sql, params or None)
        return list(cursor.fetchall()) if cursor.description else []


def _child(args: list[str], env: dict[str, str]) -> str:
    # Its progress lines (stderr) go straight to ours; its answer (stdout) is returned.
    done = subprocess.run(
        [sys.executable, str(HERE), *args], env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{args[0]} failed ({done.returncode})")
    return done.stdout


def ledger_env(setup: str, options: argparse.Namespace) -> dict[str, str]:
    """Return the environment of a process that uses this setup's kept ledger, made if needed."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LIAISON_DB_PATH")}
    env["LIAISON_HOME"] = str(options.cache)
    env["LIAISON_DEBUG"] = "false"
    name = f"web-{options.exchanges}-{options.actors}"
    sizes = ["--exchanges", str(options.exchanges), "--actors", str(options.actors)]
    if setup == "sqlite":
        path = options.cache / f"{name}.sqlite3"
        if options.regenerate:
            path.unlink(missing_ok=True)
        if not path.exists():
            partial = options.cache / f"{name}.partial.sqlite3"
            for leftover in options.cache.glob(f"{name}.partial.sqlite3*"):
                leftover.unlink()
            print(f"generating the SQLite ledger {path}…", file=sys.stderr)
            _child(["generate", *sizes], {**env, "LIAISON_DB_PATH": str(partial)})
            _sqlite_checkpoint(partial)
            partial.rename(path)
        env["LIAISON_DB_PATH"] = str(path)
        return env
    if not options.postgres:
        raise RuntimeError("the postgres setup needs --postgres URL")
    database = f"liaison_{name.replace('-', '_')}"
    exists = _postgres(options.postgres, "SELECT 1 FROM pg_database WHERE datname = %s", database)
    if exists and options.regenerate:
        _postgres(options.postgres, f'DROP DATABASE "{database}"')
        exists = []
    if not exists:
        partial = f"{database}_partial"
        _postgres(options.postgres, f'DROP DATABASE IF EXISTS "{partial}"')
        _postgres(options.postgres, f'CREATE DATABASE "{partial}"')
        print(f"generating the PostgreSQL ledger {database}…", file=sys.stderr)
        _child(
            ["generate", *sizes], {**env, "DATABASE_URL": _postgres_url(options.postgres, partial)}
        )
        _postgres(options.postgres, f'ALTER DATABASE "{partial}" RENAME TO "{database}"')
    env["DATABASE_URL"] = _postgres_url(options.postgres, database)
    return env


def _sqlite_checkpoint(path: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(env: dict[str, str], options: argparse.Namespace) -> tuple[subprocess.Popen[str], str]:
    """Start gunicorn on the app; return the process and its address once it answers."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "liaison.web.wsgi:application",
        # The layout docs/configuration.md recommends, unless the options below change it.
        "--config=python:liaison.web.gunicorn_conf",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    layout = {
        "workers": options.workers,
        "threads": options.threads,
        "worker-class": options.worker_class,
        "keep-alive": options.keep_alive,
        "worker-connections": options.worker_connections,
    }
    command += [f"--{name}={value}" for name, value in layout.items() if value is not None]
    server = subprocess.Popen(command, env=env, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(600):
        try:
            requests.get(f"{base}/login/", timeout=5)
            return server, base
        except requests.RequestException:
            if server.poll() is not None:
                raise RuntimeError("the server stopped while starting") from None
            time.sleep(0.2)
    stop(server)  # its own session: nothing else would stop it
    raise RuntimeError("the server did not answer")


def stop(server: subprocess.Popen[str]) -> None:
    """Stop the server and its workers."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def scenarios(
    busy: Sequence[int], actors: Sequence[tuple[int, int]]
) -> dict[str, Callable[[random.Random], str]]:
    """Return, per measured request, a function that makes one URL of it."""
    ids = [actor for actor, _ in actors]
    weights = list(itertools.accumulate(exchanges for _, exchanges in actors))
    types = [t for t, _ in TYPES[:5]]
    channels = [c for c, _ in CHANNELS[:4]]
    return {
        "dashboard": lambda rng: "/",
        "search": lambda rng: (
            f"/exchanges/?q={quote_plus(rng.choice(SEARCHES))}&type={rng.choice(types)}"
            f"&channel={rng.choice(channels)}"
        ),
        "counterpart": lambda rng: f"/actors/{rng.choice(busy[:5])}/",
        "api list": lambda rng: (
            f"/api/exchanges/?type={rng.choice(types)}&year={rng.randrange(2005, 2027)}"
        ),
        # 7 words x 5 types x 4 channels x 22 years: few of 200 requests meet again.
        "new search": lambda rng: (
            f"/exchanges/?q={quote_plus(rng.choice(SEARCHES))}&type={rng.choice(types)}"
            f"&channel={rng.choice(channels)}&year={rng.randrange(2005, 2027)}"
        ),
        "any counterpart": lambda rng: f"/actors/{rng.choices(ids, cum_weights=weights)[0]}/",
    }


def _get(connection: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> int:
    """Send one GET on a kept-alive connection (reopened when the server closed it); its status."""
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        connection.close()  # the next request opens a new one
        raise
    return response.status


def measure(
    base: str, user: dict[str, str], make_url: Callable[[random.Random], str], opts: Any
) -> dict[str, Any]:
    """Send the requests from the clients, each its own keep-alive connection; return latencies.

    The clients speak HTTP through http.client, not requests: they share the two cores with the
    server, and requests spent about 1 ms of CPU per request that the server's figures paid.
    """
    latencies: list[float] = []
    firsts: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    left = [opts.requests]
    address = urlsplit(base)
    headers = {
        "Cookie": f"sessionid={user['session']}",
        "Authorization": f"Bearer {user['token']}",
    }

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
        # The first request of each connection warms the worker that serves it (its kept
        # figures, its database connection): timed apart, as the cold cost.
        started = time.perf_counter()
        url = make_url(rng)
        try:
            status: int | str = _get(connection, url, headers)
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        with lock:
            firsts.append(time.perf_counter() - started)
            if status != 200:
                failures.append(f"{status} {url} (the first)")
        # Timing starts once every client has its first answer: a warm server, not the queue
        # of first requests behind one that computes the kept figures.
        warm.wait()
        while True:
            with lock:
                if left[0] <= 0:
                    connection.close()
                    return
                left[0] -= 1
            url = make_url(rng)
            started = time.perf_counter()
            try:
                status = _get(connection, url, headers)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    failures.append(f"{status} {url}")

    warm = threading.Barrier(opts.clients)
    threads = [threading.Thread(target=client, args=(n,)) for n in range(opts.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "first": max(firsts) * 1000,
        "failures": len(failures),
        "example_failure": failures[0] if failures else "",
    }


def run_setup(setup: str, options: argparse.Namespace) -> list[dict[str, Any]]:
    """Measure every request for both viewers on one setup."""
    env = ledger_env(setup, options)
    if options.generate_only:
        return []
    plan = json.loads(_child(["prepare"], env))
    server, base = serve(env, options)
    rows = []
    try:
        for user_name, user in plan["users"].items():
            for name, make_url in scenarios(plan["busy_actors"], plan["actors"]).items():
                if options.only and name not in options.only:
                    continue
                figures = measure(base, user, make_url, options)
                rows.append({"setup": setup, "user": user_name, "request": name, **figures})
                print(_line(rows[-1]), file=sys.stderr, flush=True)
    finally:
        stop(server)
    return rows


def _line(row: dict[str, Any]) -> str:
    verdict = "ok" if row["p95"] < GOAL_MS and not row["failures"] else "SLOW"
    if row["failures"]:
        verdict = f"{row['failures']} failed, e.g. {row['example_failure']}"
    return (
        f"{row['setup']:<9} {row['user']:<9} {row['request']:<12} "
        f"{row['p50']:>8.0f} {row['p95']:>8.0f} {row['first']:>9.0f}  {verdict}"
    )


def _layout(options: argparse.Namespace) -> str:
    """Describe the server's layout: the recommended one and any option that changes it."""
    from liaison.web import gunicorn_conf as recommended

    workers = options.workers or recommended.workers
    threads = options.threads or recommended.threads
    kind = options.worker_class or recommended.worker_class
    keep = recommended.keepalive if options.keep_alive is None else options.keep_alive
    taken = options.worker_connections or recommended.worker_connections
    return f"{kind} {workers}×{threads}, keep-alive {keep} s, {taken} connections per worker"


def main() -> None:
    """Parse the options, run each setup, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="per request kind and user")
    parser.add_argument("--setups", default="sqlite,postgres")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    # The server's layout: liaison.web.gunicorn_conf's (what docs/configuration.md recommends)
    # for each option not given.
    parser.add_argument("--workers", type=int, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, help="threads per worker")
    parser.add_argument("--worker-class", help="gunicorn worker class")
    parser.add_argument("--keep-alive", type=int, help="seconds a connection is kept; 0: closed")
    parser.add_argument("--worker-connections", type=int, help="connections a worker takes")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "liaison-web-bench",
        help="folder of the kept SQLite ledgers",
    )
    parser.add_argument("--regenerate", action="store_true", help="make the ledger anew")
    parser.add_argument(
        "--only", type=lambda text: text.split(","), default=[], help="request names to time"
    )
    parser.add_argument("--generate-only", action="store_true", help="make the ledgers, stop")
    options = parser.parse_args()
    options.cache.mkdir(parents=True, exist_ok=True)
    print(
        f"{options.exchanges} exchanges, {options.actors} actors, {options.clients} clients, "
        f"{options.requests} requests each, gunicorn {_layout(options)}, "
        f"{os.cpu_count()} CPUs",
        file=sys.stderr,
    )
    if "postgres" in options.setups.split(",") and options.postgres:
        # Its share of memory weighs on first visits (docs/configuration.md): said with the figures.
        ((buffers,),) = _postgres(options.postgres, "SHOW shared_buffers")
        print(f"PostgreSQL shared_buffers = {buffers}", file=sys.stderr)
    rows: list[dict[str, Any]] = []
    for setup in options.setups.split(","):
        try:
            rows += run_setup(setup, options)
        except RuntimeError as error:
            print(f"{setup}: {error}", file=sys.stderr)
    heading = (
        f"{'setup':<9} {'viewer':<9} {'request':<12} {'p50 ms':>8} {'p95 ms':>8} {'cold ms':>9}"
    )
    print(f"\n{heading}  goal p95 < {GOAL_MS}")
    for row in rows:
        print(_line(row))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "generate":
        generate(int(sys.argv[3]), int(sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "prepare":
        prepare()
    else:
        main()
