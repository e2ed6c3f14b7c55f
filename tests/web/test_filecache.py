"""The web cache culls past MAX_ENTRIES as Django's file cache does, listing its files less
often."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from liaison.web import filecache
from liaison.web.filecache import FileCache


def _cache(tmp_path: Path, entries: int, monkeypatch: pytest.MonkeyPatch) -> FileCache:
    monkeypatch.setattr(filecache, "_WRITES", itertools.count())  # this test's writes only
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 2}})


def test_most_writes_do_not_list_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[int] = []
    original = FileCache._list_cache_files

    def counted(self: Any) -> Any:
        listed.append(1)
        return original(self)

    monkeypatch.setattr(FileCache, "_list_cache_files", counted)
    cache = _cache(tmp_path, 1000, monkeypatch)
    for n in range(3 * filecache.CULL_EVERY):
        cache.set(f"key-{n}", n)
    assert len(listed) == 3
    assert cache.get("key-7") == 7


def test_the_cache_is_culled_past_its_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = _cache(tmp_path, 10, monkeypatch)
    written = 10 + 3 * filecache.CULL_EVERY
    for n in range(written):
        cache.set(f"key-{n}", n)
    kept = len(list(tmp_path.glob("*.djcache")))
    # Each cull deletes half of the files (CULL_FREQUENCY 2) at one write in CULL_EVERY.
    assert kept < written / 2
    assert cache.get(f"key-{written - 1}") == written - 1
