"""Find numeric claims about the scale of exchanges ("more than 600 political parties")."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc

from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import ClaimMention, DateMention, Sentence
from liaison.extract.registry import pattern_json

_QUALIFIER_CLASS = {
    "more than": "above",
    "over": "above",
    "above": "above",
    "at least": "above",
    "upwards of": "above",
    "in excess of": "above",
    "nearly": "below",
    "almost": "below",
    "close to": "below",
    "under": "below",
    "less than": "below",
    "up to": "below",
    "about": "approx",
    "around": "approx",
    "some": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "as many as": "approx",
}
_FUTURE = re.compile(
    r"\b(?:will|would|shall|plans? to|aims? to|over the next|in the next|target|expected to"
    r"|scheduled to|set to|due to)\b",
    re.I,
)
# "the six parties", "Nepal's three largest parties": a known group named by its size, not a count.
_DEFINITE = re.compile(r"\b(?:(?i:the|these|those|its|their)|[A-Z][\w-]*['’]s)\s+$")
_PLACES = re.compile(r"\b(?:countries|nations|continents|regions|provinces)\b")


class ClaimFinder:
    """Mark numbers that count exchanges, counterparts or their scale."""

    def __init__(self) -> None:
        data = pattern_json("claims.json")
        self.nouns = set(data["counted_nouns"])
        self.skip_next = set(data["skip_next"])
        self.skip_context = [re.compile(rf"\b{re.escape(c)}\b", re.I) for c in data["skip_context"]]
        self.words: dict[str, int] = data["number_words"]
        self.scales: dict[str, int] = data["scales"]
        qualifiers = "|".join(
            sorted((re.escape(q) for q in data["qualifiers"]), key=len, reverse=True)
        )
        words = "|".join(sorted((re.escape(w) for w in self.words), key=len, reverse=True))
        scales = "|".join(self.scales)
        # Every match starts with a digit or the first letter of a qualifier or number word.
        first = {c[0].lower() for c in [*data["qualifiers"], *self.words]}
        starts = re.escape("".join(sorted(first)))
        self.pattern = re.compile(
            rf"(?<![\w$€£¥#.,+/-])(?=[\d{starts}])(?:(?P<q>{qualifiers})\s+)?"
            rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{words})(?![\w-]))"
            rf"(?:\s+(?P<scale>{scales})\b)?(?P<pct>\s*(?:%|percent\b|"
            rf"per cent\b))?(?![\w+/-]|\.\d|,\d)",
            re.I,
        )

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        dates: list[DateMention] = doc._.lx_dates or []
        claims: list[ClaimMention] = []
        for sentence in doc._.lx_sentences or []:
            if sentence.title:
                continue  # a headline sums up the story, whose body states the figure
            claims.extend(self._sentence(text, sentence, dates))
        doc._.lx_claims = _dedupe(text, claims)
        return doc

    def _sentence(
        self, text: str, sentence: Sentence, dates: list[DateMention]
    ) -> list[ClaimMention]:
        body = text[sentence.start : sentence.end]
        found = []
        for match in self.pattern.finditer(body):
            start, end = sentence.start + match.start("num"), sentence.start + match.end("num")
            if any(d.start <= start < d.end for d in dates):
                continue
            value = self._value(match)
            if value is None:
                continue
            raw = match["num"]
            if re.fullmatch(r"(?:19|20)\d\d", raw) and not match["pct"]:
                continue  # a year
            after = body[match.end() :]
            words = re.findall(r"[\w'’-]+|[,;:.()]", after)[:9]
            if words and words[0].lower() in self.skip_next:
                continue
            if _FUTURE.search(body[: match.start()]):
                continue
            subject_words = self._subject(words)
            if subject_words is None:
                continue
            window = " ".join(words)
            before = body[max(0, match.start() - 40) : match.start()]
            if any(p.search(window) or p.search(before) for p in self.skip_context):
                continue
            subject = " ".join(subject_words)
            if (
                not match["q"]
                and _DEFINITE.search(body[max(0, match.start() - 30) : match.start()])
                and not _PLACES.search(subject)
            ):
                continue  # "the six parties agreed" names a known group; "the six countries" counts
            if match["pct"]:
                subject = f"percent {subject}".strip()
            qualifier = (match["q"] or "exactly").lower()
            found.append(
                ClaimMention(start, end, value, qualifier, subject, sentence.start, sentence.end)
            )
        return found

    def _value(self, match: re.Match[str]) -> float | None:
        raw = match["num"].lower()
        if raw in self.words:
            value = float(self.words[raw])
        else:
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                return None
        if match["scale"]:
            value *= self.scales[match["scale"].lower()]
        if value <= 2 and not match["pct"]:
            return None  # "one", "two" and the like are almost never counts of exchanges
        return value

    def _subject(self, words: list[str]) -> list[str] | None:
        subject: list[str] = []
        for word in words:
            if word in {",", ";", ":", ".", "(", ")"}:
                break
            subject.append(word)
            if word.lower() in self.nouns:
                # Take the "of ..." complement too ("batches of Party delegations").
                return subject
        return None


def _dedupe(text: str, claims: list[ClaimMention]) -> list[ClaimMention]:
    kept: list[ClaimMention] = []
    for claim in claims:
        context = text[max(claim.sentence_start, claim.start - 60) : claim.end + 60]
        duplicate = False
        for other in kept:
            if other.value != claim.value or _QUALIFIER_CLASS.get(
                other.qualifier, "exact"
            ) != _QUALIFIER_CLASS.get(claim.qualifier, "exact"):
                continue
            other_context = text[max(other.sentence_start, other.start - 60) : other.end + 60]
            if fuzz.token_set_ratio(context, other_context) >= 80:
                duplicate = True
                break
        if not duplicate:
            kept.append(claim)
    return kept


@Language.factory(
    "liaison_claims_v1",
    requires=["doc._.lx_sentences", "doc._.lx_dates"],
    assigns=["doc._.lx_claims"],
)
def make_claims(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the claim finder."""
    ensure_extensions()
    return ClaimFinder()
