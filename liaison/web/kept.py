"""Heavy figures kept until the ledger changes: computed once per change, per reader's scope.

Every write to the ledger adds an audit entry, so the last entry is part of each key: a change
makes every kept figure stale at once. KEEP_SECONDS bounds the time a figure lives should a
write ever bypass the audit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from liaison.ledger.queries import ledger_version
from liaison.web.access import visible_units

T = TypeVar("T")

KEEP_SECONDS = 300
WAIT_SECONDS = 120  # how long a process waits for another one's figures before computing them
POLL_SECONDS = 0.05
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


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
