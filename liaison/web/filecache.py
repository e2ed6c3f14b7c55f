"""The web app's cache: Django's file cache, which lists its directory less often."""

from __future__ import annotations

import itertools

from django.core.cache.backends.filebased import FileBasedCache

# Django's file cache lists every file of its directory at each write, to cull it past
# MAX_ENTRIES: with thousands of kept figures (a page per counterpart and scope), that listing
# cost more than computing a counterpart's page. Here a process lists it once in CULL_EVERY
# writes, so the cache may hold up to CULL_EVERY entries per process more than MAX_ENTRIES.
CULL_EVERY = 50
_WRITES = itertools.count()  # shared by the threads of a process (each has its own cache)


class FileCache(FileBasedCache):
    """A file cache that culls (lists its files) at one write in CULL_EVERY of a process."""

    def _cull(self) -> None:
        """Cull as Django does, at one write in CULL_EVERY."""
        if next(_WRITES) % CULL_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # not in the stubs
