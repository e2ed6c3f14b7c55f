"""Read texts to extract: plain text, Markdown, HTML, JSON records, directories, gzip, stdin."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any, cast

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson")
# Plain text larger than this is read as a stream of chunks, so memory stays bounded.
STREAM_ABOVE = 2_000_000
CHUNK = 200_000


@dataclass(frozen=True)
class InputText:
    """One text to extract from; `chunks` yields (offset, text) when the text is streamed."""

    doc: str
    text: str | None
    published: date | None = None
    title: str | None = None
    url: str | None = None
    chunks: Iterator[tuple[int, str]] | None = None


@dataclass(frozen=True)
class InputError:
    """An input that cannot be read, with the reason."""

    doc: str
    reason: str


class _TextOfHtml(HTMLParser):
    """Collect the visible text of an HTML page, one paragraph per block element."""

    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "li",
            "tr",
            "title",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
        ]
    )
    _HIDDEN = frozenset(["script", "style", "noscript", "template", "head"])

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in self._HIDDEN:
            self.hidden += 1
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in self._HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.parts.append(" ".join(data.split(" ")) if data.strip() else (" " if data else ""))

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [" ".join(line.split()) for line in raw.split("\n")]
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip()


def html_to_text(html: str) -> tuple[str, str | None]:
    """Return the visible text of an HTML page (offsets refer to this text) and its title."""
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient, but a broken page must not stop the run
        return "", None
    title = " ".join("".join(parser.title).split()) or None
    return parser.text(), title


def _parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _decode(data: bytes, doc: str) -> str | InputError:
    if b"\x00" in data[:8192]:
        return InputError(doc, "binary input (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return InputError(doc, f"undecodable: not UTF-8 ({error.reason} at byte {error.start})")


def _records(payload: str, stem: str, lines: bool) -> Iterator[InputText | InputError]:
    if not lines:
        try:
            data = json.loads(payload)
        except json.JSONDecodeError:
            lines = True  # a .json file that holds JSON Lines
        else:
            items = data if isinstance(data, list) else [data]
            for number, item in enumerate(items, start=1):
                yield _record(item, stem if len(items) == 1 else f"{stem}:{number}")
            return
    for number, line in enumerate(payload.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(f"{stem}:{number}", f"not JSON: {error.msg}")
            continue
        yield _record(item, f"{stem}:{number}")


def _record(item: Any, fallback: str) -> InputText | InputError:
    if not isinstance(item, dict):
        return InputError(fallback, "a JSON record must be an object with a 'text'")
    doc = str(item.get("id") or fallback)
    text = item.get("text")
    if not isinstance(text, str):
        return InputError(doc, "record has no 'text' string")
    title = item.get("title") if isinstance(item.get("title"), str) else None
    url = item.get("url") if isinstance(item.get("url"), str) else None
    return InputText(doc, text, _parse_date(item.get("published")), title, url)


def _kind(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for suffix, kind in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "json"),
        (".html", "html"),
        (".htm", "html"),
    ):
        if lower.endswith(suffix):
            return kind
    return "text"


def _stem(name: str) -> str:
    path = Path(name)
    if path.suffix == ".gz":
        path = path.with_suffix("")
    return path.stem


def _stream_text(handle: IO[bytes], doc: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, chunk) of a large UTF-8 stream, cut at line ends."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    offset, buffer = 0, ""
    while True:
        block = handle.read(CHUNK)
        final = not block
        buffer += decoder.decode(block, final=final)
        if final:
            if buffer:
                yield offset, buffer
            return
        cut = buffer.rfind("\n", 0, CHUNK)
        if len(buffer) >= CHUNK and cut > 0:
            yield offset, buffer[: cut + 1]
            offset += cut + 1
            buffer = buffer[cut + 1 :]


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_path(path: Path) -> Iterator[InputText | InputError]:
    """Read one file into texts (several for JSON records)."""
    stem, kind = _stem(path.name), _kind(path.name)
    try:
        size = path.stat().st_size
        if kind == "text" and size > STREAM_ABOVE:
            yield from _streamed(path, stem)
            return
        with _open(path) as handle:
            data = handle.read()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        yield InputError(stem, f"cannot read: {error}")
        return
    yield from read_bytes(data, stem, kind)


def _streamed(path: Path, stem: str) -> Iterator[InputText | InputError]:
    with _open(path) as handle:
        head = handle.read(8192)
    if b"\x00" in head:
        yield InputError(stem, "binary input (NUL bytes)")
        return

    def chunks() -> Iterator[tuple[int, str]]:
        with _open(path) as handle:
            yield from _stream_text(handle, stem)

    yield InputText(stem, None, chunks=chunks())


def read_bytes(data: bytes, stem: str, kind: str) -> Iterator[InputText | InputError]:
    """Read the bytes of one input of a known kind (text, html, json, jsonl)."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            yield InputError(stem, f"broken gzip: {error}")
            return
    decoded = _decode(data, stem)
    if isinstance(decoded, InputError):
        yield decoded
        return
    if kind == "sniff":
        head = decoded.lstrip()[:200].lower()
        kind = (
            "json"
            if head.startswith(("{", "["))
            else "html"
            if head.startswith(("<!doctype", "<html", "<"))
            else "text"
        )
    if kind in ("json", "jsonl"):
        yield from _records(decoded, stem, kind == "jsonl")
    elif kind == "html":
        text, title = html_to_text(decoded)
        yield InputText(stem, text, title=title)
    else:
        yield InputText(stem, decoded)


def iter_inputs(
    paths: list[str], stdin: IO[bytes] | None = None
) -> Iterator[InputText | InputError]:
    """Yield every text named by the paths: files, directories (recursively) and '-' for stdin."""
    for name in paths:
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from read_bytes(stream.read(), "stdin", "sniff")
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name.lower().removesuffix(".gz").endswith(SUFFIXES)
            )
            for file in files:
                yield from read_path(file)
        elif path.is_file():
            yield from read_path(path)
        else:
            yield InputError(_stem(name), f"no such file or directory: {name}")


def stdin_bytes(text: str) -> IO[bytes]:
    """Wrap a string as a binary stream (for tests and callers that hold text)."""
    return io.BytesIO(text.encode("utf-8"))
