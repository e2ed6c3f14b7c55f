"""An ingest run: documents in, sources, proposed exchanges and claims out, resumable."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import transaction

from liaison.ingest.documents import Document, Failure, read_documents
from liaison.ingest.runners import LocalRunner, Runner, batched
from liaison.ingest.sink import LedgerSink
from liaison.ledger import actions
from liaison.ledger.actions import SYSTEM, Author
from liaison.ledger.actions.exchanges import content_hash
from liaison.ledger.models import QuarantinedInput

# Documents written per transaction: a killed run loses at most these, and redoes them.
COMMIT_EVERY = 50


@dataclass
class IngestReport:
    """What a run did, and the inputs it set aside."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    batch_id: int | None = None
    undated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Tell whether the run changed the ledger."""
        return self.batch_id is not None


Progress = Callable[[IngestReport], None]


class _Run:
    """One run's state: the sink, the report, and the batch opened at the first write."""

    def __init__(
        self, paths: list[str], author: Author, progress: Progress | None, published: date | None
    ) -> None:
        self.paths = paths
        self.published = published
        self.author = author
        self.progress = progress or (lambda report: None)
        self.report = IngestReport()
        self.sink = LedgerSink(author, None)

    def batch(self) -> None:
        if self.sink.batch is None:
            names = ", ".join(self.paths)
            digest = hashlib.sha256(names.encode()).hexdigest()
            self.sink.batch = actions.open_batch("ingest", names[:500], digest, self.author)
            self.report.batch_id = self.sink.batch.pk

    def fail(self, failure: Failure, text_hash: str = "") -> None:
        self.report.failures.append(failure)
        self.report.counts["documents failed"] += 1
        known = QuarantinedInput.objects.filter(
            doc=failure.doc, reason=failure.reason, resolved_at=None
        )
        if known.exists():
            return
        self.batch()
        actions.quarantine_input(
            failure.doc, failure.reason, text_hash, failure.size, self.author, self.sink.batch
        )

    def pending(self) -> Iterator[Document]:
        # Look up a few dozen texts' hashes at once: a rerun over an archive is mostly lookups.
        for items in batched(read_documents(self.paths), COMMIT_EVERY):
            hashes = [content_hash(i.text) for i in items if isinstance(i, Document)]
            done = self.sink.done(hashes)
            for item in items:
                self.report.counts["documents read"] += 1
                if isinstance(item, Failure):
                    self.fail(item)
                elif content_hash(item.text) in done:
                    self.report.counts["documents unchanged"] += 1
                elif item.published is None and self.published is not None:
                    yield replace(item, published=self.published)
                else:
                    yield item
            self.progress(self.report)


def ingest_paths(
    paths: list[str],
    author: Author = SYSTEM,
    runner: Runner | None = None,
    progress: Progress | None = None,
    published: date | None = None,
) -> IngestReport:
    """Ingest files, directories and globs; a second run over the same inputs changes nothing.

    `published` dates the documents that carry no date of their own.
    """
    run = _Run(paths, author, progress, published)
    runner = runner or LocalRunner()
    # A run adds no country: each is looked up once, not once per exchange.
    with actions.remembering():
        _ingest(run, runner)
    run.report.undated = list(dict.fromkeys(run.sink.undated))
    if run.sink.batch is not None:
        actions.close_batch(run.sink.batch, dict(run.report.counts), author)
    return run.report


def _ingest(run: _Run, runner: Runner) -> None:
    try:
        for group in batched(runner.extract(run.pending()), COMMIT_EVERY):
            with transaction.atomic(), actions.audit_in_bulk():
                for document, result in group:
                    if result.error:
                        run.fail(Failure(document.doc, result.error), content_hash(document.text))
                extracted = [(document, result) for document, result in group if not result.error]
                if extracted:
                    run.batch()
                    run.sink.write(extracted)
                    run.report.counts["documents ingested"] += len(extracted)
            run.report.counts.update(run.sink.counts.counts)
            run.sink.counts.counts.clear()
            run.progress(run.report)
    finally:
        runner.close()
