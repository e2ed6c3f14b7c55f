"""Heavy figures kept until the ledger changes: computed once per change, per reader's scope.

Every write to the ledger adds an audit entry, so the last entry is part of each key: a change
makes every kept figure stale at once. KEEP_SECONDS bounds the time a figure lives should a
write ever bypass the audit.

kept_meanwhile is for figures that take seconds to compute (the dashboard's): after a change
it serves the last figures at once, saying how old they are, while one process computes the
new ones in the background.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import connection, connections

from liaison.ledger.queries import ledger_version
from liaison.web.access import visible_units

T = TypeVar("T")

KEEP_SECONDS = 300
WAIT_SECONDS = 120  # how long a process waits for another one's figures before computing them
POLL_SECONDS = 0.05
LASTING_SECONDS = 7 * 24 * 3600  # how long the last figures stay to be shown after a change
QUICK_SECONDS = 0.5  # figures computed faster than this are computed in the request
RETRY_SECONDS = 30  # after a failed refresh, how long until a request tries again
BACKGROUND_NICENESS = 10  # the refresh thread's priority, below the requests' (0)
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def scope_of(user: Any) -> str:
    """Return a name for what a user may see: the units whose internal exchanges they read."""
    units = visible_units(user)
    return "all" if units is None else ",".join(str(unit) for unit in sorted(units))


def kept(key: str, compute: Callable[[], T]) -> T:
    """Return the value kept under this key for the ledger as it is, computing it if needed."""
    full = f"kept:{key}:{ledger_version()}"
    value: T | None = cache.get(full)
    if value is not None:
        return value
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    # One thread of the process computes; the others asking for the same key wait for it.
    with lock:
        value = cache.get(full)
        if value is None:
            value = _computed_once(full, compute)
    return value


def _computed_once(full: str, compute: Callable[[], T]) -> T:
    """Compute a value, or wait for the worker process that is computing it already.

    After each change of the ledger every worker process finds its figures stale at once; were
    each to compute them, a server of four processes would do the same work four times over.
    The cache on disk is shared, so the first process marks the key and the others wait for
    its answer (or compute it themselves if none comes within WAIT_SECONDS).
    """
    mark = f"{full}:computing"
    mine = cache.add(mark, True, WAIT_SECONDS)
    if not mine:
        awaited: T | None = _awaited(full, mark)
        if awaited is not None:
            return awaited
    try:
        value = compute()
        cache.set(full, value, KEEP_SECONDS)
    finally:
        if mine:
            cache.delete(mark)
    return value


def _awaited(full: str, mark: str) -> Any:
    """Wait for the value another process computes; None if it gave up (an error) or is late."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(full)
        if value is not None:
            return value
        if cache.get(mark) is None:
            return None
    return None


@dataclass(frozen=True)
class Kept(Generic[T]):
    """A kept value, the ledger version it was computed for, when and in how long."""

    value: T
    version: str
    at: datetime.datetime
    took: float  # seconds
    current: bool = True  # whether the ledger is still as it was (False: an update is under way)


def kept_meanwhile(key: str, compute: Callable[[], T]) -> Kept[T]:
    """Return the value kept under this key for the ledger as it is, or the last one meanwhile.

    When the ledger has changed since the last value and computing it took QUICK_SECONDS or
    more, the last value is returned at once (marked not current) and one process, the first
    to ask, computes the new one in a thread of its own; the others keep returning the last
    one until it is there. The first value ever, and quick ones, are computed as kept() does.
    """
    version = ledger_version()
    lasting = _lasting_key(key)
    last: Kept[T] | None = cache.get(lasting)
    if last is not None and last.version == version and _age(last) < KEEP_SECONDS:
        return last
    if last is None or last.took < QUICK_SECONDS:
        return kept(f"meanwhile:{key}", lambda: _computed_entry(lasting, compute, version))
    # The mark has no version in it: while the ledger keeps changing (an ingest), one refresh
    # runs at a time, and the next request after it starts the following one.
    mark = f"{lasting}:refreshing"
    if cache.add(mark, True, WAIT_SECONDS):
        in_background(lambda: _refresh(lasting, mark, compute))
    return replace(last, current=last.version == version)


def in_background(work: Callable[[], None]) -> None:
    """Run work in a thread of this process (a daemon: it never holds the process up).

    The work gives way to the requests served meanwhile: the thread runs at a lower priority
    (Linux sets it per thread; SQLite's queries run in it) and PostgreSQL computes its queries
    in one process, without parallel workers, which would take every core from the requests.
    """

    def run() -> None:
        try:
            _give_way()
            work()
        finally:
            connections.close_all()  # the thread's own connections, opened for the work

    threading.Thread(target=run, name="liaison-kept-refresh", daemon=True).start()


def _give_way() -> None:
    """Lower this thread's share of the machine, where the system allows it."""
    # Not Linux, or not allowed: the thread runs at the usual priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SET jit = off")  # compiling costs more than these queries gain


def _lasting_key(key: str) -> str:
    """Name the last value of a key, in this database (two ledgers may share a cache)."""
    database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12]
    return f"kept-last:{database}:{key}"


def _age(entry: Kept[Any]) -> float:
    """Return how many seconds ago a value was computed."""
    return (datetime.datetime.now(tz=datetime.UTC) - entry.at).total_seconds()


def _computed_entry(lasting: str, compute: Callable[[], T], version: str) -> Kept[T]:
    """Compute a value for this version of the ledger and keep it as the last one too."""
    at = datetime.datetime.now(tz=datetime.UTC)
    started = time.perf_counter()
    entry = Kept(compute(), version, at, time.perf_counter() - started)
    cache.set(lasting, entry, LASTING_SECONDS)
    return entry


def _refresh(lasting: str, mark: str, compute: Callable[[], Any]) -> None:
    """Compute the value for the ledger as it is now, in the background, then lift the mark.

    The version is read before computing: should the ledger change meanwhile, the value is
    kept for the older version, and the next request computes it again. After an error the
    mark stays RETRY_SECONDS, so that a failing computation is not started by every request.
    """
    try:
        _computed_entry(lasting, compute, ledger_version())
        cache.delete(mark)
    except Exception:
        log.exception("computing %s failed; the last value is shown meanwhile", lasting)
        cache.set(mark, True, RETRY_SECONDS)
