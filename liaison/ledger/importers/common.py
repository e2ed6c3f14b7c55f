"""What importers share: reading a CSV defensively, one reversible batch, a row report."""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger import actions
from liaison.ledger.actions import SYSTEM, Author
from liaison.ledger.models import ImportBatch

MAX_ERRORS_SHOWN = 200
MAX_ERRORS_KEPT = 1000  # a 100 MB file of bad rows must not fill memory with messages


@dataclass(frozen=True)
class RowError:
    """A problem with one row (row 1 is the header; the first data row is row 2)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, or in a dry run would do."""

    kind: str
    file_name: str
    dry_run: bool = False
    batch_id: int | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    def add_errors(self, errors: list[RowError]) -> None:
        """Keep the first errors in full and count the rest."""
        room = max(0, MAX_ERRORS_KEPT - len(self.errors))
        self.errors += errors[:room]
        self.more_errors += len(errors) - len(errors[:room])

    @property
    def changes(self) -> int:
        """Count the rows created or updated."""
        return self.created + self.updated

    def summary(self) -> dict[str, int]:
        """Return the counts, for the batch record."""
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


class ImportFailedError(LiaisonError):
    """An import that found bad rows and wrote nothing."""

    def __init__(self, report: ImportReport) -> None:
        shown = "\n".join(f"  {e}" for e in report.errors[:MAX_ERRORS_SHOWN])
        more = len(report.errors) + report.more_errors - MAX_ERRORS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            ErrorCode.BAD_INPUT,
            f"{report.file_name}: {len(report.errors) + report.more_errors} problem(s); "
            "nothing was imported. "
            f"Fix these rows and run the import again:\n{shown}{tail}",
        )
        self.report = report


def file_hash(path: Path) -> str:
    """Return the sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path, encoding: str) -> None:
    """Refuse a missing, empty or binary file, or an unknown encoding, with a clear message."""
    if not path.is_file():
        raise LiaisonError(ErrorCode.BAD_FILE, f"{path}: no such file")
    if path.stat().st_size == 0:
        raise LiaisonError(ErrorCode.BAD_FILE, f"{path}: the file is empty (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(8192)
    if b"\x00" in head and not encoding.lower().startswith("utf-16"):
        raise LiaisonError(
            ErrorCode.BAD_FILE, f"{path}: this is a binary file, not a CSV text file"
        )
    try:
        codecs.lookup(encoding)
    except LookupError as error:
        raise LiaisonError(ErrorCode.BAD_INPUT, f"unknown encoding {encoding!r}") from error


def read_rows(
    path: Path,
    required: tuple[str, ...],
    encoding: str = "utf-8",
    on_row: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) of a CSV file, with clear errors for a file that cannot be read."""
    check_file(path, encoding)
    if encoding.lower().replace("_", "-") == "utf-8":
        encoding = "utf-8-sig"  # a byte-order mark is not part of the first column's name
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in required if c not in columns]
            if missing:
                raise LiaisonError(
                    ErrorCode.BAD_FILE,
                    f"{path}: missing column(s) {', '.join(missing)}; the header must have "
                    f"{', '.join(required)}",
                )
            for row in reader:
                if on_row:
                    on_row(reader.line_num)
                yield (
                    reader.line_num,
                    {
                        (k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
                        for k, v in row.items()
                    },
                )
    except UnicodeDecodeError as error:
        raise LiaisonError(
            ErrorCode.BAD_FILE,
            f"{path}: not valid {encoding} (byte {error.object[error.start : error.start + 1]!r} "
            f"at position {error.start} of a block); save the file as UTF-8 or pass "
            "--encoding with its real encoding (e.g. latin-1, cp1252)",
        ) from error
    except csv.Error as error:
        raise LiaisonError(ErrorCode.BAD_FILE, f"{path}: not a readable CSV: {error}") from error


class _RollbackError(Exception):
    """Raised inside the import transaction to discard it (dry run, errors, or no change)."""


RowHandler = Callable[[int, dict[str, str]], None]


def run_import(
    kind: str,
    path: Path,
    required: tuple[str, ...],
    make_handler: Callable[[ImportBatch, ImportReport], RowHandler],
    dry_run: bool = False,
    author: Author = SYSTEM,
    encoding: str = "utf-8",
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Run an importer's row handler over a CSV file in one batch: all rows or none.

    The batch is kept only when it changed something; a dry run or any bad row discards all.
    """
    report = ImportReport(kind=kind, file_name=str(path), dry_run=dry_run)
    check_file(path, encoding)
    try:
        with transaction.atomic():
            batch = actions.open_batch(kind, str(path), file_hash(path), author)
            handle = make_handler(batch, report)
            for line, row in read_rows(path, required, encoding, on_row):
                report.rows += 1
                handle(line, row)
            if report.errors or dry_run or report.changes == 0:
                raise _RollbackError
            actions.close_batch(batch, report.summary(), author)
            report.batch_id = batch.pk
    except _RollbackError:
        if report.errors:
            raise ImportFailedError(report) from None
    return report
