"""A killed ingest resumes to exactly the ledger of an uninterrupted run, on any engine."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from liaison.samples.generate import write_feed

pytestmark = pytest.mark.slow

DUMP = {
    "exchanges": """
        SELECT e.type, e.channel, e.date, e.date_precision, e.city, e.country_id,
               e.review_status, e.summary,
               (SELECT group_concat(x, '|') FROM (SELECT a.name || ':' || p.role AS x
                  FROM ledger_participation p JOIN ledger_actor a ON a.id = p.actor_id
                  WHERE p.exchange_id = e.id ORDER BY x)),
               (SELECT group_concat(y, '|') FROM (SELECT s.content_hash || ':' || v.start AS y
                  FROM ledger_evidence v JOIN ledger_source s ON s.id = v.source_id
                  WHERE v.exchange_id = e.id ORDER BY y))
        FROM ledger_exchange e""",
    "actors": "SELECT name, kind, country_id, review_status FROM ledger_actor",
    "sources": "SELECT content_hash, version, doc, extracted_at IS NOT NULL FROM ledger_source",
    "claims": "SELECT value, qualifier, subject, review_status FROM ledger_claim",
    "quarantine": "SELECT doc, reason FROM ledger_quarantinedinput",
}


def env(home: Path) -> dict[str, str]:
    """Run the CLI on a SQLite ledger in its own folder, whatever the test run's database."""
    values = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LIAISON_DB_PATH")}
    return {**values, "LIAISON_HOME": str(home)}


def liaison(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the liaison command to its end."""
    return subprocess.run(
        [sys.executable, "-m", "liaison", *args],
        env=env(home),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def dump(home: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Read what ingest wrote, without row ids (which differ between runs)."""
    with sqlite3.connect(home / "liaison.sqlite3") as connection:
        return {
            name: sorted(connection.execute(sql).fetchall(), key=repr) for name, sql in DUMP.items()
        }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a ledger with the reference data loaded, and a feed of generated texts."""
    base = tmp_path_factory.mktemp("base")
    process = liaison(base, "init")
    assert process.returncode == 0, process.stderr
    feed = write_feed(base / "feed.jsonl", 400)
    return base, feed


def copy_ledger(base: Path, home: Path) -> Path:
    """Start a new ledger from the prepared one."""
    home.mkdir()
    shutil.copy(base / "liaison.sqlite3", home / "liaison.sqlite3")
    shutil.copy(base / "secret_key", home / "secret_key")
    return home


def sources_in(home: Path) -> int:
    """Count the stored sources (read while another process writes)."""
    with sqlite3.connect(home / "liaison.sqlite3", timeout=30) as connection:
        count: int = connection.execute("SELECT count(*) FROM ledger_source").fetchone()[0]
        return count


def test_ingest_killed_and_run_again_equals_an_uninterrupted_run(
    prepared: tuple[Path, Path], tmp_path: Path
) -> None:
    base, feed = prepared
    whole = copy_ledger(base, tmp_path / "whole")
    assert liaison(whole, "ingest", str(feed)).returncode == 0

    killed = copy_ledger(base, tmp_path / "killed")
    process = subprocess.Popen(
        [sys.executable, "-m", "liaison", "ingest", str(feed)],
        env=env(killed),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while sources_in(killed) < 60 and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL, "the run ended before it could be killed"
    assert 0 < sources_in(killed) < 400
    again = liaison(killed, "ingest", str(feed))
    assert again.returncode == 0, again.stderr[-2000:]
    assert "documents unchanged" in again.stdout
    assert dump(killed) == dump(whole)

    rerun = liaison(killed, "ingest", str(feed))
    assert "nothing changed" in rerun.stdout
    assert dump(killed) == dump(whole)


@pytest.mark.engine
def test_ingest_on_a_two_worker_dask_cluster_equals_the_local_run(
    prepared: tuple[Path, Path], tmp_path: Path
) -> None:
    base, feed = prepared
    local = copy_ledger(base, tmp_path / "local")
    assert liaison(local, "ingest", str(feed)).returncode == 0
    dask = copy_ledger(base, tmp_path / "dask")
    process = liaison(dask, "ingest", "--engine", "dask", "--workers", "2", str(feed))
    assert process.returncode == 0, process.stderr[-2000:]
    assert dump(dask) == dump(local)
    assert len(dump(local)["exchanges"]) > 100
