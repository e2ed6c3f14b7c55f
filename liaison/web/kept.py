"""Heavy figures kept until the ledger changes: computed once per change, per reader's scope.

Every write to the ledger adds an audit entry, so the last entry is part of each key: a change
makes every kept figure stale at once. KEEP_SECONDS bounds the time a figure lives should a
write ever bypass the audit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from liaison.ledger.queries import ledger_version
from liaison.web.access import visible_units

T = TypeVar("T")

KEEP_SECONDS = 300
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
            value = compute()
            cache.set(full, value, KEEP_SECONDS)
    return value
