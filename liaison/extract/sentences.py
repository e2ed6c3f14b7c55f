"""Split a text into sentences with a fast rule: punctuation, case and known abbreviations."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import Sentence

# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "rev",
        "hon",
        "rt",
        "h.e",
        "no",
        "vol",
        "art",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "govt",
        "est",
        "approx",
        "a.m",
        "p.m",
    ]
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# A dateline ("BEIJING, April 16 (Xinhua) --") is its own segment: the sentence starts after it.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z'’. ]{1,40}?(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?)?|"
    r"[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})\s*(?:\([A-Za-z .]{2,30}\))?\s*(?:--|—|–|-)\s+(?=[A-Z\"“])"
)


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of a text; a line that ends without punctuation is a title."""
    sentences: list[Sentence] = []
    for line_match in re.finditer(r"[^\n]+", text):
        line_start, line = line_match.start(), line_match.group()
        start = line_start
        dateline = _DATELINE.match(line) if line_match.start() < 1500 else None
        if dateline and len(dateline.group().split()) <= 8:
            _append(sentences, text, line_start, line_start + dateline.end(), title=True)
            start = line_start + dateline.end()
        for end_match in _END.finditer(line):
            before = line[: end_match.start()].rsplit(None, 1)
            word = before[-1].lower().rstrip(".") if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            end = line_start + end_match.end()
            _append(sentences, text, start, end, title=False)
            start = end
        end = line_start + len(line)
        stripped = line.rstrip()
        # A closing quote ends a sentence only after its own stop ('... he said."'); a headline
        # may end with a quoted name ('... on the "Two Sessions"').
        unquoted = stripped.rstrip('"”’')
        title = bool(unquoted) and unquoted[-1] not in ".!?:;," and start == line_start
        if start > line_start and start >= end:
            continue
        _append(sentences, text, start, end, title=title)
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int, *, title: bool) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, title))


@Language.factory(
    "liaison_sentences_v1",
    assigns=["token.is_sent_start", "doc._.lx_sentences"],
)
def make_sentences(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the sentence splitter."""
    ensure_extensions()
    return split_doc_sentences


def split_doc_sentences(doc: Doc) -> Doc:
    """Mark sentence starts on the tokens and keep the sentence offsets."""
    sentences = split_sentences(text_of(doc))
    doc._.lx_sentences = sentences
    if len(doc) == 0:
        return doc
    starts = {s.start for s in sentences}
    # Set all flags in one array: the token-by-token setter re-checks the whole doc each time.
    offsets = doc.to_array("IDX")
    # Token offsets increase, so a binary search finds the token at each sentence start (cheaper
    # than numpy.isin on arrays this small).
    wanted = numpy.fromiter(sorted(starts), dtype=offsets.dtype)
    at = numpy.searchsorted(offsets, wanted)
    inside = at < len(offsets)
    at, wanted = at[inside], wanted[inside]
    flags = numpy.full(len(offsets), -1, dtype="int64")
    flags[at[offsets[at] == wanted]] = 1
    flags[0] = 1
    doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc
