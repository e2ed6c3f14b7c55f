"""Read the inputs of an ingest run into documents, or into failures with their reason."""

from __future__ import annotations

import glob
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from liaison.extract.dates import published_from_text
from liaison.extract.inputs import SUFFIXES, InputError, InputText, read_bytes, read_path

# One source row holds one document's whole text; anything larger is not a press text.
MAX_DOCUMENT_BYTES = 5 * 2**20


@dataclass(frozen=True)
class Document:
    """One text to ingest, named by where it came from."""

    doc: str
    text: str
    url: str = ""
    title: str = ""
    published: date | None = None

    @property
    def outlet(self) -> str:
        """Return the outlet, as the host name of the document's URL."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


@dataclass(frozen=True)
class Failure:
    """An input that cannot be ingested, and why."""

    doc: str
    reason: str
    size: int | None = None


def _files(name: str) -> Iterator[Path]:
    # Path.glob refuses absolute patterns, and users pass those.
    pattern = glob.has_magic(name)
    matches = sorted(glob.glob(name, recursive=True)) if pattern else [name]  # noqa: PTH207
    for match in matches:
        path = Path(match)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name.lower().removesuffix(".gz").endswith(SUFFIXES)
            )
        else:
            yield path


def _document(path: Path, item: InputText | InputError, named: bool = False) -> Document | Failure:
    stem = path.name.removesuffix(".gz")
    stem = stem[: stem.rfind(".")] if "." in stem else stem
    # The reader names a text by its file stem; a path keeps two folders' story_1 apart.
    renamed = not named and item.doc.startswith(stem)
    doc = str(path) + item.doc[len(stem) :] if renamed else item.doc
    if isinstance(item, InputError):
        return Failure(doc, item.reason)
    if item.text is None:
        return Failure(doc, "too large to store as one document")
    if not item.text.strip():
        return Failure(doc, "empty: no text")
    published = item.published or published_from_text(item.text)
    return Document(doc, item.text, item.url or "", item.title or "", published)


def _is_feed(path: Path) -> bool:
    return path.name.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson"))


def _feed(path: Path) -> Iterator[Document | Failure]:
    """Read a JSON Lines feed one record at a time, so that its size does not matter."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    number = 0
    try:
        with opener(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                name = f"{path}:{number}"
                if len(line) > MAX_DOCUMENT_BYTES:
                    yield Failure(name, "record too large", len(line))
                    continue
                try:
                    json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as error:
                    yield Failure(name, f"not a JSON record: {error}", len(line))
                    continue
                for item in read_bytes(line, name, "json"):
                    yield _document(path, item, named=True)
    except (OSError, EOFError) as error:
        yield Failure(f"{path}:{number + 1}", f"cannot read further: {error}")


def read_documents(paths: list[str]) -> Iterator[Document | Failure]:
    """Yield every document named by files, directories and globs, in a stable order."""
    for name in paths:
        files = list(_files(name))
        if not files:
            yield Failure(name, "no such file or directory")
        for path in files:
            if not path.exists():
                yield Failure(str(path), "no such file or directory")
                continue
            if _is_feed(path):
                yield from _feed(path)
                continue
            size = path.stat().st_size
            if size > MAX_DOCUMENT_BYTES:
                limit = MAX_DOCUMENT_BYTES // 2**20
                yield Failure(
                    str(path),
                    f"too large: {size / 2**20:.0f} MB, the limit is {limit} MB per file; "
                    "split it into JSON Lines records",
                    size,
                )
                continue
            for item in read_path(path):
                yield _document(path, item)
