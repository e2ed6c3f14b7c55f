"""Runners turn documents into extraction results: here in this process, or on an engine."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Protocol, TypeVar

from liaison.extract.run import ExtractionResult, extract_text
from liaison.ingest.documents import Document

Item = TypeVar("Item")
Extracted = tuple[Document, ExtractionResult]


class Runner(Protocol):
    """Extracts documents, yielding results in the order the documents came."""

    def extract(self, documents: Iterable[Document]) -> Iterator[Extracted]:
        """Yield each document with what extraction found in it."""
        ...

    def close(self) -> None:
        """Release what the runner holds (processes, connections)."""
        ...


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Yield lists of up to `size` items."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def warm_up() -> None:
    """Load the extraction pipeline, and what its first text builds, in this process."""
    extract_text("The Green Party met the Labour Party in Lima on 2 May 2024.", "warm-up")
    # What is loaded by now lives as long as the process: the collector need not walk it again
    # at every full collection (a Dask run's writer: 0.25 of its 0.8 Dask CPU s per 10,000).
    gc.freeze()


class LocalRunner:
    """Extracts in this process."""

    def __init__(self) -> None:
        warm_up()

    def extract(self, documents: Iterable[Document]) -> Iterator[Extracted]:
        """Yield each document with what extraction found in it."""
        for document in documents:
            yield document, extract_text(document.text, document.doc, document.published)

    def close(self) -> None:
        """Nothing to release."""
