"""Find the words that report an exchange, with token patterns kept as data."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc

from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import Trigger
from liaison.extract.registry import pattern_json


@dataclass(frozen=True)
class _Step:
    """One token of a pattern: what it must be, and whether it may be left out."""

    lower: frozenset[int] | None = None
    orth: int | None = None
    is_title: bool | None = None
    optional: bool = False
    repeat: bool = False


def _step(spec: dict[str, Any], strings: StringStore) -> _Step:
    """Compile one token spec (the subset of spaCy's Matcher syntax our patterns use)."""
    lower: frozenset[int] | None = None
    orth: int | None = None
    is_title: bool | None = None
    optional = repeat = False
    for key, value in spec.items():
        if key == "LOWER":
            words = value["IN"] if isinstance(value, dict) else [value]
            lower = frozenset(strings.add(str(w).lower()) for w in words)
        elif key == "ORTH":
            orth = strings.add(str(value))
        elif key == "IS_TITLE":
            is_title = bool(value)
        elif key == "OP" and value in ("?", "*", "+"):
            optional, repeat = value != "+", value != "?"
        else:
            raise ValueError(f"unsupported token pattern key {key}={value!r}")
    return _Step(lower, orth, is_title, optional, repeat)


class TokenPatterns:
    """A matcher for short token patterns that tries only positions where a pattern can start.

    spaCy's Matcher advances every pattern at every token and evaluates set membership ("IN")
    in Python; our patterns almost all start with a fixed word, so an index on the first word
    skips nearly every token. The matches are the same: every (label, start, end) any pattern
    reaches, optional tokens both taken and skipped.
    """

    def __init__(self, strings: StringStore) -> None:
        self.strings = strings
        self.patterns: list[tuple[str, tuple[_Step, ...]]] = []
        self.first: dict[int, list[int]] = {}
        self.anywhere: list[int] = []  # patterns whose first token is not a fixed word

    def add(self, label: str, patterns: Sequence[Sequence[dict[str, Any]]]) -> None:
        """Add patterns under one label."""
        for pattern in patterns:
            steps = tuple(_step(spec, self.strings) for spec in pattern)
            index = len(self.patterns)
            self.patterns.append((label, steps))
            head = steps[0]
            if head.lower is not None and not head.optional:
                for word in head.lower:
                    self.first.setdefault(word, []).append(index)
            else:
                self.anywhere.append(index)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """Return (label, start, end) token spans, ordered by end, start and pattern."""
        if len(doc) == 0:
            return []
        arrays = doc.to_array([LOWER, ORTH])
        lowers: list[int] = arrays[:, 0].tolist()
        orths: list[int] = arrays[:, 1].tolist()
        first = self.first
        found: set[tuple[int, int, int]] = set()
        for i, word in enumerate(lowers):
            indexes = first.get(word)
            if indexes is None and not self.anywhere:
                continue
            for index in (indexes or []) + self.anywhere:
                steps = self.patterns[index][1]
                for end in _ends(steps, 0, i, doc, lowers, orths):
                    if end > i:
                        found.add((end, i, index))
        return [(self.patterns[index][0], start, end) for end, start, index in sorted(found)]


def _ends(
    steps: tuple[_Step, ...],
    k: int,
    i: int,
    doc: Doc,
    lowers: list[int],
    orths: list[int],
    skip: bool = True,
) -> Iterator[int]:
    """Yield every token index where steps[k:] can end when matched from token i."""
    if k == len(steps):
        yield i
        return
    step = steps[k]
    if step.optional and skip:
        yield from _ends(steps, k + 1, i, doc, lowers, orths)
    if i < len(lowers) and _fits(step, i, doc, lowers, orths):
        yield from _ends(steps, k + 1, i + 1, doc, lowers, orths)
        if step.repeat:
            # Stay on this step for the next token too; "+" needs no skip after its first token.
            yield from _ends(steps, k, i + 1, doc, lowers, orths, skip=False)


def _fits(step: _Step, i: int, doc: Doc, lowers: list[int], orths: list[int]) -> bool:
    if step.lower is not None and lowers[i] not in step.lower:
        return False
    if step.orth is not None and orths[i] != step.orth:
        return False
    return step.is_title is None or doc[i].is_title == step.is_title


def longest_first(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Keep the longest of overlapping spans, the earlier on ties (spaCy's filter_spans)."""
    ordered = sorted(spans, key=lambda s: (s[2] - s[1], -s[1]), reverse=True)
    kept: list[tuple[str, int, int]] = []
    seen: set[int] = set()
    for span in ordered:
        _label, start, end = span
        if start not in seen and end - 1 not in seen:
            kept.append(span)
            seen.update(range(start, end))
    kept.sort(key=lambda s: s[1])
    return kept


class TriggerFinder:
    """Mark every trigger span with its exchange type, part of speech and mode."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = TokenPatterns(nlp.vocab.strings)
        self.info: dict[str, dict[str, str | None]] = {}
        for entry in pattern_json("triggers.json")["triggers"]:
            self.matcher.add(entry["id"], entry["patterns"])
            self.info[entry["id"]] = {
                "type": entry["type"],
                "pos": entry["pos"],
                "mode": entry.get("mode"),
            }

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        triggers = []
        for label, start, end in longest_first(self.matcher(doc)):
            info = self.info[label]
            last = doc[end - 1]
            start_char, end_char = doc[start].idx, last.idx + len(last)
            triggers.append(
                Trigger(
                    start_char,
                    end_char,
                    text[start_char:end_char],
                    str(info["type"]),
                    str(info["pos"]),
                    info["mode"],
                    label,
                )
            )
        doc._.lx_triggers = triggers
        return doc


@Language.factory(
    "liaison_triggers_v1",
    requires=["doc._.lx_sentences"],
    assigns=["doc._.lx_triggers"],
)
def make_triggers(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the trigger finder."""
    ensure_extensions()
    return TriggerFinder(nlp)
