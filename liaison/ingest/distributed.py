"""Extraction on a Dask cluster: the only module that imports the engine."""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from liaison.extract.run import ExtractionResult, extract_text
from liaison.ingest.documents import Document
from liaison.ingest.runners import Extracted, warm_up

# A local cluster shares this machine's cores with the writer, the one step that cannot be
# spread over workers: they run at the lowest priority, so that it never waits for a core (at
# nice 10 the writer was still interrupted often enough to cost about 3% of a run).
LOCAL_WORKER_NICENESS = 19
# What a local cluster's processes do besides extracting takes cores from the writer too: no
# sampling profiler (nobody reads its dashboard), no stealing between workers (every batch costs
# about the same), and the event loop checked each second rather than fifty times a second.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.tick.interval": "1s",
}
# Each Dask connection keeps the last thousand messages it sent, for debugging: here a thousand
# batches of texts, which grew the writer's memory with the run (about 1 MB per 1,000 documents).
CONNECTION_CONFIG = {"distributed.admin.low-level-log-length": 10}
# The first batch is small, so that the writer has work within milliseconds of the start.
FIRST_BATCH = 25


# Batches travel as pickled bytes both ways. Dask pickles a task's arguments on their way to the
# scheduler and again to the worker, and sends a list of results item by item, each its own frame
# after its own serialisers failed on it; bytes pass as they are. Measured per 10,000 documents:
# the workers' event loops 0.9 -> 0.3 CPU s, the writer's process 1.0 -> 0.7 CPU s.
def extract_for_writer(pickled: bytes, niceness: int | None) -> bytes:
    """Extract a pickled batch on a worker (at `niceness`, if given); return its results pickled."""
    if niceness is not None:
        current = os.nice(0)  # on Linux, the priority of this thread: the worker's compute thread
        if current < niceness:
            os.nice(niceness - current)
    texts: list[tuple[str, str, date | None]] = pickle.loads(pickled)
    results = [extract_text(text, name, published) for text, name, published in texts]
    return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


def _pickled_texts(documents: list[Document]) -> bytes:
    """Return what a worker needs of each document (text, name, date), pickled once."""
    texts = [(d.text, d.doc, d.published) for d in documents]
    return pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL)


def _growing_batches(documents: Iterable[Document], largest: int) -> Iterator[list[Document]]:
    """Yield batches that double from a few documents to `largest`: the writer starts at once."""
    iterator = iter(documents)
    size = min(largest, FIRST_BATCH)
    while batch := list(islice(iterator, size)):
        yield batch
        size = min(largest, size * 2)


class DaskRunner:
    """Sends documents in batches to Dask workers; each worker loads the pipeline once."""

    def __init__(
        self, scheduler: str | None = None, workers: int = 2, batch_size: int = 200
    ) -> None:
        import dask
        from dask.distributed import Client, LocalCluster

        self.batch_size = batch_size
        self.cluster: Any = None
        self.niceness: int | None = None
        with dask.config.set(CONNECTION_CONFIG):
            if scheduler:
                self.client = Client(scheduler)
            else:
                self.niceness = LOCAL_WORKER_NICENESS
                with dask.config.set(LOCAL_CLUSTER_CONFIG):
                    self.cluster = LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=40,
                    )
                self.client = Client(self.cluster)
        # Every worker builds its pipeline now, side by side, rather than on its first batch; a
        # worker that cannot (liaison missing or another version there) fails the run here.
        self.client.run(warm_up)
        # This process too keeps what it holds by now to the end (see warm_up): the collector need
        # not walk it again while the writer unpickles results (per 10,000 documents, 0.2 CPU s).
        gc.freeze()
        # Enough batches in flight that no worker waits for the writer, few enough to bound
        # memory. A batch of 200 is a fifth of a second's work: few messages for the scheduler,
        # which shares the writer's process (a batch of 50 cost it twice the CPU on 2 cores).
        self.window = 4 * max(1, len(self.client.scheduler_info()["workers"]))

    def extract(self, documents: Iterable[Document]) -> Iterator[Extracted]:
        """Yield each document with what extraction found in it, in input order."""
        from dask.distributed import as_completed

        batches = _growing_batches(documents, self.batch_size)
        # Each result is fetched as soon as its batch is done, while the writer works; fetched
        # only when the writer asked, each batch cost the writer a round trip to a worker.
        arriving = as_completed(with_results=True)
        sent: dict[Any, tuple[int, list[Document]]] = {}  # by future: order, documents
        back: dict[int, tuple[list[Document], list[ExtractionResult]]] = {}
        submitted = yielded = 0
        while True:
            while submitted - yielded < self.window and (batch := next(batches, None)):
                # Workers send back only the results: the texts are here already.
                texts = _pickled_texts(batch)
                future = self.client.submit(extract_for_writer, texts, self.niceness, pure=False)
                sent[future] = (submitted, batch)
                arriving.add(future)
                submitted += 1
            if yielded == submitted:
                return
            while yielded not in back:
                future, pickled = next(arriving)
                order, batch = sent.pop(future)
                back[order] = (batch, pickle.loads(pickled))
            yield from zip(*back.pop(yielded), strict=True)
            yielded += 1

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this runner started one."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
