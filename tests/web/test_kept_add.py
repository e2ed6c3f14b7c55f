"""The mark that lets one process compute kept figures: taken by exactly one of many processes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from liaison.web.filecache import FileCache

PROCESSES = 6
KEYS = 30


def _take(
    location: str, start: multiprocessing.synchronize.Barrier, found: multiprocessing.Queue
) -> None:  # type: ignore[type-arg]
    cache = FileCache(location, {})
    start.wait()
    found.put([key for key in range(KEYS) if cache.add(f"mark-{key}", True, 60)])


def test_each_mark_is_taken_by_one_process_only(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    start = context.Barrier(PROCESSES)
    found: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    workers = [
        context.Process(target=_take, args=(str(tmp_path), start, found)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    taken = [key for _ in workers for key in found.get(timeout=60)]
    for worker in workers:
        worker.join(60)
    assert sorted(taken) == list(range(KEYS))


def test_an_expired_mark_can_be_taken_again(tmp_path: Path) -> None:
    cache = FileCache(str(tmp_path), {})
    assert cache.add("mark", True, 60) and not cache.add("mark", True, 60)
    cache.set("mark", True, -1)  # expired
    assert cache.add("mark", True, 60)
