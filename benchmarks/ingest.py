"""Ingest throughput: documents per second and peak memory, one process and Dask, side by side.

Usage: python benchmarks/ingest.py [--docs 10000] [--postgres postgres://user:pw@host:port/db]
       [--setups sqlite,postgres,dask]

Generates N press texts from our own templates (liaison.samples.generate), then ingests them
into a fresh ledger (reference data loaded) with each setup, each in its own process:
  sqlite    one process, embedded SQLite
  postgres  one process, a fresh database created on the server given by --postgres
  dask      a local Dask cluster of 2 worker processes extracting, one writer, SQLite
and the CPU seconds each used (the writer's process, and the workers'): with them, the most
Dask could gain on this machine's cores, whatever the scheduling. Each setup is timed from a
runner ready to extract (pipeline built; for Dask, the cluster started and every worker's
pipeline built); the time it took to get ready is printed apart.

Before and after the setups, a probe times extraction alone in one process, then in two
processes side by side: how much two cores give over one at that moment. On a virtual machine
this varies (two virtual cores may share a physical one for a while), and it bounds the Dask
figure whatever the code does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _anonymous_mb() -> float:
    """Return this process's resident memory that is not a mapped file (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakAnonymous(threading.Thread):
    """Samples the anonymous resident memory: SQLite maps the database file into the process,
    and those pages (the file's cache, shared, dropped under pressure) count in the peak RSS."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = _anonymous_mb()

    def run(self) -> None:
        while True:
            self.peak = max(self.peak, _anonymous_mb())
            time.sleep(0.2)


def child(setup: str, feed: str) -> None:
    """Ingest the feed in this process and print the figures as JSON."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "liaison.web.settings"
    import django

    django.setup()
    from liaison.ingest.run import ingest_paths
    from liaison.ingest.runners import LocalRunner, Runner

    # Each setup is timed from a runner ready to extract: the pipeline built (and for Dask, the
    # cluster started), which is printed apart as a fixed cost.
    preparing = time.perf_counter()
    runner: Runner
    if setup == "dask":
        from liaison.ingest.distributed import DaskRunner

        runner = DaskRunner(workers=2)
    else:
        runner = LocalRunner()
    ready_s = time.perf_counter() - preparing
    anonymous = PeakAnonymous()
    anonymous.start()
    started = time.perf_counter()
    # The workers are alive (counted in RUSAGE_CHILDREN once they end): what they used getting
    # ready is taken off.
    workers_ready = _living_children_cpu_seconds()
    cpu_before = _cpu_seconds(resource.RUSAGE_SELF), _cpu_seconds(resource.RUSAGE_CHILDREN)
    report = ingest_paths([feed], runner=runner)  # stops the workers: their usage is counted
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu = _cpu_seconds(resource.RUSAGE_SELF) - cpu_before[0]
    workers_cpu = _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_before[1] - workers_ready
    counts = report.counts
    print(
        json.dumps(
            {
                "docs": counts["documents read"],
                "seconds": round(seconds, 1),
                "docs_per_s": round(counts["documents read"] / seconds, 1),
                "exchanges": counts["exchanges new"],
                "also_reported": counts["exchanges also reported"],
                "peak_rss_mb": round(rss),
                "peak_anonymous_mb": round(max(anonymous.peak, _anonymous_mb())),
                "peak_worker_rss_mb": round(workers),
                "ready_s": round(ready_s, 1),
                "cpu_s": round(cpu, 1),
                "workers_cpu_s": round(workers_cpu, 1),
            }
        )
    )


PROBE_DOCS = 2000


def probe_child(feed: str) -> None:
    """Extract the feed's first documents once told to start; print the seconds it took."""
    from itertools import islice

    from liaison.ingest.documents import Document, read_documents
    from liaison.ingest.runners import LocalRunner

    documents = [d for d in islice(read_documents([feed]), PROBE_DOCS) if isinstance(d, Document)]
    runner = LocalRunner()
    print("ready", flush=True)
    sys.stdin.readline()  # the parent starts every probe at once
    started = time.perf_counter()
    for _ in runner.extract(documents):
        pass
    print(time.perf_counter() - started, flush=True)


def parallel_capacity(feed: Path) -> tuple[float, float]:
    """Return one process's extraction docs/s, and the multiple of it two side by side reach."""

    def seconds_side_by_side(count: int) -> list[float]:
        command = [sys.executable, __file__, "--probe", str(feed)]
        pipes = subprocess.PIPE
        probes = [
            subprocess.Popen(command, stdin=pipes, stdout=pipes, text=True) for _ in range(count)
        ]
        for probe in probes:  # each has read its texts and built its pipeline
            assert probe.stdout is not None and probe.stdin is not None
            probe.stdout.readline()
        for probe in probes:
            assert probe.stdin is not None
            probe.stdin.write("go\n")
            probe.stdin.flush()
        return [float(probe.communicate()[0].split()[-1]) for probe in probes]

    (alone,) = seconds_side_by_side(1)
    together = max(seconds_side_by_side(2))
    return PROBE_DOCS / alone, 2 * alone / together


def _living_children_cpu_seconds() -> float:
    import psutil  # installed with Dask

    times = [child.cpu_times() for child in psutil.Process().children(recursive=True)]
    return sum(t.user + t.system for t in times)


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _postgres_database(url: str, name: str, create: bool) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(setup: str, feed: Path, base: Path, postgres: str | None) -> dict[str, float] | str:
    """Ingest the feed with one setup in a child process; return its figures or why it failed."""
    home = Path(tempfile.mkdtemp(prefix=f"liaison-bench-{setup}-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LIAISON_DB_PATH")}
    env["LIAISON_HOME"] = str(home)
    database = None
    try:
        if setup == "postgres":
            if not postgres:
                return "skipped: give --postgres URL"
            database = f"liaison_bench_{os.getpid()}"
            env["DATABASE_URL"] = _postgres_database(postgres, database, create=True)
            init = [sys.executable, "-m", "liaison", "init"]
            subprocess.run(init, env=env, check=True, capture_output=True)
        else:
            shutil.copy(base / "liaison.sqlite3", home / "liaison.sqlite3")
            shutil.copy(base / "secret_key", home / "secret_key")
        command = [sys.executable, __file__, "--child", setup, str(feed)]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            return f"failed: {out.stderr.strip().splitlines()[-1:]}"
        figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
        return figures
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if database and postgres:
            _postgres_database(postgres, database, create=False)


def print_capacity(feed: Path, when: str) -> None:
    """Print how much two cores give over one for extraction, measured now."""
    alone, times = parallel_capacity(feed)
    print(
        f"probe {when:6s} extraction alone {alone:.0f} docs/s; "
        f"two processes side by side: {times:.2f}x one"
    )


def main() -> None:
    """Generate the documents, run each setup, print the figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--postgres", help="URL of a PostgreSQL server where we may CREATEDB")
    parser.add_argument("--setups", default="sqlite,postgres,dask")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.probe:
        probe_child(args.probe)
        return
    from liaison.samples.generate import write_feed

    work = Path(tempfile.mkdtemp(prefix="liaison-bench-"))
    feed = write_feed(work / "feed.jsonl", args.docs)
    base = work / "base"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LIAISON_DB_PATH")}
    subprocess.run(
        [sys.executable, "-m", "liaison", "init"],
        env={**env, "LIAISON_HOME": str(base)},
        check=True,
        capture_output=True,
    )
    print(f"{args.docs:,} generated documents, {feed.stat().st_size / 2**20:.1f} MB")
    print_capacity(feed, "before")
    results = {}
    for setup in args.setups.split(","):
        result = run(setup, feed, base, args.postgres)
        results[setup] = result
        if isinstance(result, str):
            print(f"{setup:9s} {result}")
            continue
        print(
            f"{setup:9s} {result['docs_per_s']:>7} docs/s  {result['seconds']:>7} s "
            f"(ready in {result['ready_s']} s)  "
            f"peak RSS {result['peak_rss_mb']} MB, "
            f"{result['peak_anonymous_mb']} MB not file-mapped "
            f"(workers {result['peak_worker_rss_mb']} MB)  "
            f"{result['exchanges']} exchanges, {result['also_reported']} merged reports  "
            f"CPU {result['cpu_s']} s (workers {result['workers_cpu_s']} s)"
        )
    print_capacity(feed, "after")
    one, dask = results.get("sqlite"), results.get("dask")
    if isinstance(one, dict) and isinstance(dask, dict):
        print(f"dask (2 workers) / one process = {dask['docs_per_s'] / one['docs_per_s']:.2f}x")
        # Even with every core busy all the time, Dask cannot beat the CPU time it needs over
        # the cores there are: the ceiling this machine puts on the ratio above.
        cores = os.cpu_count() or 1
        needed = dask["cpu_s"] + dask["workers_cpu_s"]
        print(
            f"ceiling on {cores} cores: {cores} x one process's {one['seconds']} s / Dask's "
            f"{needed:.1f} CPU s = {cores * one['seconds'] / needed:.2f}x"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
