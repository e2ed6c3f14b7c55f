"""The web app's cache: Django's file cache, which lists its directory less often."""

from __future__ import annotations

import fcntl
import itertools
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

# Django's file cache lists every file of its directory at each write, to cull it past
# MAX_ENTRIES: with thousands of kept figures (a page per counterpart and scope), that listing
# cost more than computing a counterpart's page. Here a process lists it once in CULL_EVERY
# writes, so the cache may hold up to CULL_EVERY entries per process more than MAX_ENTRIES.
CULL_EVERY = 50
_WRITES = itertools.count()  # shared by the threads of a process (each has its own cache)


class FileCache(FileBasedCache):
    """A file cache that culls (lists its files) at one write in CULL_EVERY of a process."""

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        """Set a key unless it is there, atomically among the processes sharing the directory.

        Django's file cache looks, then writes: two worker processes could both take the mark
        that lets one of them compute kept figures. A lock on a file of the directory (ignored
        by the cache, whose files end in .djcache) makes the look and the write one step.
        """
        self._createdir()  # type: ignore[attr-defined]  # not in the stubs
        with (Path(self._dir) / "add.lock").open("a") as lock:  # type: ignore[attr-defined]
            fcntl.flock(lock, fcntl.LOCK_EX)
            return bool(super().add(key, value, timeout, version))

    def _cull(self) -> None:
        """Cull as Django does, at one write in CULL_EVERY."""
        if next(_WRITES) % CULL_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # not in the stubs
