"""Extraction on a Dask cluster: the only module that imports the engine."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from liaison.extract.run import ExtractionResult
from liaison.ingest.documents import Document
from liaison.ingest.runners import Extracted, batched, extract_batch

# A local cluster shares this machine's cores with the writer, the one step that cannot be
# spread over workers: they run below it, so that it never waits for a core.
LOCAL_WORKER_NICENESS = 10
# What a local cluster's processes do besides extracting takes cores from the writer too: no
# sampling profiler (nobody reads its dashboard), no stealing between workers (every batch costs
# about the same), and the event loop checked each second rather than fifty times a second.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.tick.interval": "1s",
}


def extract_below_writer(documents: list[Document]) -> list[ExtractionResult]:
    """Extract a batch at a lower scheduling priority than the writer's (a local cluster)."""
    current = os.nice(0)  # on Linux, the priority of this thread: the worker's compute thread
    if current < LOCAL_WORKER_NICENESS:
        os.nice(LOCAL_WORKER_NICENESS - current)
    return extract_batch(documents)


class DaskRunner:
    """Sends documents in batches to Dask workers; each worker loads the pipeline once."""

    def __init__(
        self, scheduler: str | None = None, workers: int = 2, batch_size: int = 50
    ) -> None:
        import dask
        from dask.distributed import Client, LocalCluster

        self.batch_size = batch_size
        self.cluster: Any = None
        self.task = extract_batch
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.task = extract_below_writer
            with dask.config.set(LOCAL_CLUSTER_CONFIG):
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
            self.client = Client(self.cluster)
        # Enough batches in flight that no worker waits for the writer (two queued behind the
        # one it runs, measured best on 2 cores), few enough to bound memory.
        self.window = 4 * max(1, len(self.client.scheduler_info()["workers"]))

    def extract(self, documents: Iterable[Document]) -> Iterator[Extracted]:
        """Yield each document with what extraction found in it, in input order."""
        # Workers send back only the results: the texts are here already.
        in_flight: deque[tuple[list[Document], Any]] = deque()
        for batch in batched(documents, self.batch_size):
            in_flight.append((batch, self.client.submit(self.task, batch, pure=False)))
            if len(in_flight) >= self.window:
                yield from self._done(*in_flight.popleft())
        while in_flight:
            yield from self._done(*in_flight.popleft())

    @staticmethod
    def _done(batch: list[Document], future: Any) -> Iterator[Extracted]:
        return zip(batch, future.result(), strict=True)

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this runner started one."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
