"""The public API of extraction: texts and paths in, contract records out."""

from __future__ import annotations

import json
import multiprocessing
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from liaison.domain.enums import ActorKind, Channel, ExchangeType
from liaison.domain.events import (
    ExtractedClaim,
    ExtractedEvent,
    ParticipantMention,
    PersonMention,
    Place,
    Span,
)
from liaison.extract.dates import published_from_text
from liaison.extract.events import Draft
from liaison.extract.inputs import InputError, InputText, iter_inputs
from liaison.extract.pipeline import MAX_CHUNK, build_pipeline

_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "a",
        "is",
        "was",
        "for",
        "on",
        "with",
        "that",
        "by",
        "as",
        "at",
        "from",
    ]
)


@dataclass
class ExtractionResult:
    """What one text yields: events, claims and the trail that explains them."""

    doc: str
    events: list[ExtractedEvent] = field(default_factory=list)
    claims: list[ExtractedClaim] = field(default_factory=list)
    trail: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    def records(self, explain: bool = False) -> Iterator[dict[str, Any]]:
        """Yield the contract records of this result."""
        if self.error:
            yield {"record": "error", "doc": self.doc, "reason": self.error}
            return
        yield from (event.to_json() for event in self.events)
        yield from (claim.to_json() for claim in self.claims)
        if explain:
            yield from ({"record": "explain", "doc": self.doc, **step} for step in self.trail)


# Control characters other than the whitespace ones (\t \n \f \r).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_DELETE_ASCII_LETTERS = dict.fromkeys(range(ord("A"), ord("Z") + 1)) | dict.fromkeys(
    range(ord("a"), ord("z") + 1)
)
_WORD = re.compile(r"[A-Za-z]+")
# A stopword standing as a whole [A-Za-z]+ word, as the word count above splits them.
_STOPWORD = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(sorted(_STOPWORDS, key=len, reverse=True)) + r")(?![A-Za-z])"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def problem_with(text: str) -> str | None:
    """Return why a text cannot be extracted from (empty, binary, not English), or None."""
    if not text or not text.strip():
        return "empty input"
    sample = text[:20000]
    controls = len(_CONTROLS.findall(sample))
    if "\x00" in sample or controls > len(sample) * 0.05:
        return "binary input"
    # Count ASCII letters in C (deleting them is cheaper than listing them); only the (few)
    # other characters are looked at one by one.
    latin = len(sample) - len(sample.translate(_DELETE_ASCII_LETTERS))
    n_letters = latin + sum(1 for c in _NON_ASCII.findall(sample) if c.isalpha())
    if not n_letters:
        return "no words in the input"
    if latin < n_letters * 0.6:
        return "not English"
    lowered = sample.lower()
    # One English stopword settles it; the words are counted only for texts without any.
    if _STOPWORD.search(lowered) is None and len(_WORD.findall(lowered)) >= 20:
        return "not English"
    return None


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Cut a long text at paragraph or line ends into pieces the tokenizer takes."""
    offset = 0
    while len(text) - offset > MAX_CHUNK:
        window = text[offset : offset + MAX_CHUNK]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < MAX_CHUNK // 2:
            cut = max(window.rfind(". "), MAX_CHUNK - 1)
        yield offset, text[offset : offset + cut + 1]
        offset += cut + 1
    yield offset, text[offset:]


def _event(doc_id: str, text: str, offset: int, draft: Draft) -> ExtractedEvent:
    participants = tuple(
        ParticipantMention(p.actor.name, p.actor.kind, p.actor.country, p.role)
        for p in draft.parties
    )
    people = tuple(PersonMention(p.name, p.role, p.org) for p in draft.people)
    return ExtractedEvent(
        doc=doc_id,
        type=ExchangeType(draft.type),
        mode=Channel(draft.mode),
        date=draft.date.isoformat() if draft.date else None,
        evidence=Span(text[draft.start : draft.end], draft.start + offset, draft.end + offset),
        participants=participants,
        people=people,
        location=Place(draft.city, draft.country),
        mechanism=draft.mechanism,
        topics=tuple(draft.topics),
        confidence=draft.confidence,
    )


def _extract_chunks(
    chunks: Iterable[tuple[int, str]],
    doc_id: str,
    published: date | None,
    fallback: date | None = None,
) -> ExtractionResult:
    nlp = build_pipeline()
    result = ExtractionResult(doc_id)
    reference = published
    first = True
    for offset, chunk in chunks:
        if first:
            problem = problem_with(chunk)
            if problem:
                return ExtractionResult(doc_id, error=problem)
            if reference is None:
                reference = published_from_text(chunk) or fallback
        doc = nlp.make_doc(chunk)
        # The tokenizer keeps every character, so the doc's text is the chunk: no need to rebuild.
        doc.user_data["lx_text"] = chunk
        doc._.lx_published = reference
        doc._.lx_offset = offset
        doc = nlp(doc)
        if first and doc._.lx_reference:
            reference = doc._.lx_reference  # later chunks resolve against the dateline day
        first = False
        for draft in doc._.lx_events or []:
            event = _event(doc_id, chunk, offset, draft)
            result.events.append(event)
            result.trail.append(
                {
                    "event": len(result.events) - 1,
                    "evidence": event.evidence.to_json(),
                    "type": draft.type,
                    "found": draft.why,
                    "participants": [p.actor.name for p in draft.parties],
                }
            )
        for claim in doc._.lx_claims or []:
            evidence = Span(
                chunk[claim.sentence_start : claim.sentence_end],
                claim.sentence_start + offset,
                claim.sentence_end + offset,
            )
            result.claims.append(
                ExtractedClaim(doc_id, claim.value, claim.qualifier, claim.subject, evidence)
            )
        for step in doc._.lx_trail or []:
            if "sentence" in step or "reason" in step:
                dropped = dict(step)
                dropped["start"] = int(dropped.get("start", 0)) + offset
                dropped["end"] = int(dropped.get("end", 0)) + offset
                result.trail.append({"dropped": dropped.pop("trigger", None), **dropped})
    if first:
        return ExtractionResult(doc_id, error="empty input")
    return result


def extract_text(text: str, doc_id: str, published: date | None = None) -> ExtractionResult:
    """Extract the events and claims of one text; relative dates resolve against `published`."""
    try:
        return _extract_chunks(_chunks(text), doc_id, published)
    except Exception as error:  # one bad text must never stop a run; report it as an error record
        return ExtractionResult(doc_id, error=f"extraction failed: {type(error).__name__}: {error}")


def _run_one(item: InputText | InputError, published: date | None) -> ExtractionResult:
    if isinstance(item, InputError):
        return ExtractionResult(item.doc, error=item.reason)
    when = item.published
    try:
        if item.chunks is not None:
            return _extract_chunks(item.chunks, item.doc, when, fallback=published)
        assert item.text is not None
        when = when or published_from_text(item.text) or published
        return extract_text(item.text, item.doc, when)
    except Exception as error:  # a stream that breaks half way (bad UTF-8) ends that input only
        return ExtractionResult(item.doc, error=f"unreadable input: {error}")


def _work(args: tuple[InputText | InputError, date | None, bool]) -> list[dict[str, Any]]:
    item, published, explain = args
    return list(_run_one(item, published).records(explain))


def extract_paths(
    paths: Sequence[str],
    published: date | None = None,
    explain: bool = False,
    processes: int = 1,
) -> Iterator[dict[str, Any]]:
    """Yield contract records (event, claim, error, and explain if asked) for every input."""
    items = iter_inputs(list(paths))
    if processes <= 1:
        for item in items:
            yield from _run_one(item, published).records(explain)
        return
    streamed: list[InputText] = []

    def jobs() -> Iterator[tuple[InputText | InputError, date | None, bool]]:
        for item in items:
            if isinstance(item, InputText) and item.chunks is not None:
                streamed.append(item)  # a generator cannot cross processes; run it here after
            else:
                yield item, published, explain

    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for records in pool.imap(_work, jobs(), chunksize=4):
            yield from records
    for item in streamed:
        yield from _run_one(item, published).records(explain)


_COLUMNS = (
    ("record", 7),
    ("doc", 24),
    ("what", 14),
    ("mode", 10),
    ("date", 10),
    ("who", 48),
    ("evidence", 60),
)


def _cell(value: Any, width: int) -> str:
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(record: dict[str, Any]) -> list[Any]:
    kind = record.get("record")
    evidence = (record.get("evidence") or {}).get("text", "")
    if kind == "event":
        who = "; ".join(p["name"] for p in record.get("participants") or [])
        return [kind, record["doc"], record["type"], record["mode"], record["date"], who, evidence]
    if kind == "claim":
        what = f"{record['qualifier']} {record['value']}"
        return [kind, record["doc"], what, "", "", record["subject"], evidence]
    if kind == "error":
        return [kind, record["doc"], "", "", "", "", record.get("reason")]
    return [
        kind,
        record.get("doc"),
        "",
        "",
        "",
        record.get("dropped") or record.get("type") or "",
        record.get("reason") or "; ".join(record.get("found") or []),
    ]


def render(
    records: Iterable[dict[str, Any]], fmt: Literal["jsonl", "json", "table"]
) -> Iterator[str]:
    """Yield the output lines of records in a format: JSON Lines, one JSON array, or a table."""
    if fmt == "jsonl":
        for record in records:
            yield json.dumps(record, ensure_ascii=False)
    elif fmt == "json":
        yield "["
        previous: dict[str, Any] | None = None
        for record in records:
            if previous is not None:
                yield "  " + json.dumps(previous, ensure_ascii=False) + ","
            previous = record
        if previous is not None:
            yield "  " + json.dumps(previous, ensure_ascii=False)
        yield "]"
    elif fmt == "table":
        yield "  ".join(name.ljust(width) for name, width in _COLUMNS).rstrip()
        for record in records:
            cells = _row(record)
            yield "  ".join(
                _cell(v, w).ljust(w) for v, (_, w) in zip(cells, _COLUMNS, strict=True)
            ).rstrip()
    else:
        raise ValueError(f"unknown format {fmt!r}; use jsonl, json or table")


__all__ = ["ActorKind", "ExtractionResult", "extract_paths", "extract_text", "render"]
