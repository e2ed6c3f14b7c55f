"""A local Dask cluster extracts below the writer's priority, quietly, and keeps the order."""

from __future__ import annotations

import os

import pytest

from liaison.ingest.documents import Document

pytestmark = pytest.mark.slow


def _compute_thread_niceness() -> int:
    return os.nice(0)


def _profiling() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


def test_local_workers_extract_below_the_writer_and_keep_the_input_order() -> None:
    from liaison.ingest.distributed import CONNECTION_CONFIG, LOCAL_WORKER_NICENESS, DaskRunner

    texts = [f"The Labour Party met the Green Party in Oslo on {d} May 2024." for d in (3, 4, 5)]
    documents = [Document(doc=f"d{i}", text=text) for i, text in enumerate(texts)]
    runner = DaskRunner(workers=2, batch_size=1)
    try:
        extracted = list(runner.extract(documents))
        niceness = {
            runner.client.submit(_compute_thread_niceness, pure=False).result() for _ in range(6)
        }
        profiling = set(runner.client.run(_profiling).values())
        streams = [runner.client.scheduler_comm, *runner.cluster.scheduler.stream_comms.values()]
        kept_messages = {stream.recent_message_log.maxlen for stream in streams}
    finally:
        runner.close()

    assert [document.doc for document, _ in extracted] == ["d0", "d1", "d2"]
    assert [r.events[0].date for _, r in extracted] == ["2024-05-03", "2024-05-04", "2024-05-05"]
    assert min(niceness) >= LOCAL_WORKER_NICENESS
    assert os.nice(0) < LOCAL_WORKER_NICENESS  # the writer keeps its priority
    assert profiling == {False}  # the local cluster's settings reached its worker processes
    # Dask's connections keep a few sent messages, not the last thousand batches of texts.
    assert kept_messages == {CONNECTION_CONFIG["distributed.admin.low-level-log-length"]}


def test_a_batch_travels_as_one_pickle_and_comes_back_as_extracted_here() -> None:
    import datetime
    import pickle

    from liaison.extract.run import extract_text
    from liaison.ingest.distributed import _pickled_texts, extract_for_writer

    text = "The Labour Party met the Green Party in Oslo on Friday."
    documents = [
        Document(
            doc="a", text=text, url="https://example.org/a", published=datetime.date(2024, 5, 6)
        ),
        Document(doc="b", text=text),
    ]
    pickled = _pickled_texts(documents)
    assert isinstance(pickled, bytes) and b"example.org" not in pickled  # only what workers read
    results = pickle.loads(extract_for_writer(pickled, None))
    assert results == [extract_text(d.text, d.doc, d.published) for d in documents]
    assert [r.events[0].date for r in results] == ["2024-05-03", None]
