"""Decide from the words around a trigger whether it reports a concrete past occurrence."""

from __future__ import annotations

import re

from liaison.extract.mentions import Trigger
from liaison.extract.registry import pattern_json


def _words(items: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(i) for i in sorted(items, key=len, reverse=True))
    # The lookahead on the first letters lets the scan skip most positions at once.
    first = re.escape("".join(sorted({i[0].lower() for i in items})))
    return re.compile(rf"(?=[{first}])(?<![\w'’])(?:{alternatives})(?![\w'’])", re.I)


_BREAK = re.compile(
    r";|\s(?:said|says|saying|adding|noting|while|whereas|but|which|who|where|that|when|as)\s|"
    r",\s(?:and|but)\s|\s--\s|:\s"
)
_PERFECT_BEFORE = re.compile(
    r"\b(?:has|have|had|'ve)\s+(?:also\s+|already\s+|recently\s+|jointly\s+|successfully\s+|since\s+|"
    r"repeatedly\s+|been\s+)*$",
    re.I,
)
_PERFECT_AFTER = re.compile(
    r"^[^,;]{0,40}?\b(?:have|has)\s+(?:also\s+|been\s+)*(?:held|taken place|hosted|"
    r"organized|convened)\b",
    re.I,
)
_ONE_OF = re.compile(r"\bone of (?:the|its|their|our)\s+(?:\w+\s+){0,2}$", re.I)
_QUANTIFIED = re.compile(
    r"\b(?:many|several|numerous|hundreds|dozens|thousands|various|series|a number|countless|"
    r"frequent|regular|multiple|these|such|other|more|all|most|\d[\d,]*|two|three|four|five|six|seven|"
    r"eight|nine|ten)\s+(?:\w+\s+){0,3}$",
    re.I,
)
# "has sent a message", "has signed an agreement": one act, reported as news.
_SINGLE_ACT = re.compile(
    r"\w+\s+(?:a|an)\s+(?!series\b|number\b|lot\b|range\b|variety\b|host\b|total\b)\w+", re.I
)
_PAST_VERB = re.compile(
    r"(?:\w+ed|met|held|sent|paid|made|had|began|spoke|sat|took|gave|wrote|led|won)\b", re.I
)


def perfect_single_act(after: str) -> bool:
    """Tell whether a present-perfect verb reports one act ("has sent a message to ...")."""
    return bool(_SINGLE_ACT.match(after))


_HELD = re.compile(r"\b(?:held|hosted|organi[sz]ed|convened|chaired|attended|addressed)\s")
_HEADLINE_VERB = re.compile(r"\b(?:meets|holds|visits|sends|signs|calls|hosts|attends|receives)\b")


class Cues:
    """Check a trigger's clause for negation, future, hypothesis and general statements."""

    def __init__(self) -> None:
        data = pattern_json("cues.json")
        self.negation = _words(data["negation"])
        self.future = _words(data["future"])
        self.hypothetical = _words(data["hypothetical"])
        self.general = _words(data["general"])
        self.media = _words(data["media"])

    @staticmethod
    def clause(body: str, start: int, end: int) -> tuple[int, int]:
        """Return the clause of a sentence around a trigger, by offsets into the sentence."""
        left, right = 0, len(body)
        for match in _BREAK.finditer(body):
            if match.end() <= start:
                left = match.end()
            elif match.start() >= end and right == len(body):
                right = match.start()
        return left, right

    def reason(self, body: str, trigger: Trigger, start: int, end: int) -> str | None:
        """Return why a trigger does not report a concrete past occurrence, or None."""
        left, right = self.clause(body, start, end)
        clause = body[left:right]
        # "held a briefing on China's plans for ...": a noun after a past verb of holding is past.
        past = (trigger.pos == "verb" and bool(_PAST_VERB.match(trigger.text))) or (
            trigger.pos == "noun" and bool(_HELD.search(body, left, start))
        )
        for pattern, why in (
            (self.negation, "negated"),
            (self.future, "future, plan or invitation"),
            (self.hypothetical, "hypothetical or conditional"),
            (self.general, "general or recurring statement"),
        ):
            found = pattern.search(clause)
            # After a past-tense verb, a future word is what was discussed ("met ... on the
            # preparations for the congress"), not the tense of the act.
            if found and past and pattern is self.future and left + found.start() >= end:
                found = pattern.search(clause, 0, max(0, start - left))
            if found:
                return f"{why} ('{found.group()}')"
        before = body[max(left, start - 40) : start]
        if _PERFECT_BEFORE.search(before) and not perfect_single_act(body[start:right]):
            return "general statement (perfect tense)"
        if trigger.pos == "noun" or trigger.text.lower().endswith(
            ("calls", "letters", "messages", "meetings")
        ):
            if _PERFECT_AFTER.search(body[end:right]):
                return "general statement (perfect tense)"
            nouns = [w for w in trigger.text.lower().split() if w not in ("to", "of")]
            word = nouns[-1] if nouns and trigger.rule != "mechanism" else ""
            plural = (word.endswith("s") and word not in ("talks", "visits")) or word == "visits"
            if plural and not _ONE_OF.search(body[left:start]):
                after = body[end : end + 40]
                if not (word == "visits" and re.match(r"\s*(?:to\s+)?[A-Z]", after)):
                    return "plural: a general statement, not one occurrence"
            if (
                word.endswith("s")
                and not _ONE_OF.search(body[left:start])
                and _QUANTIFIED.search(body[max(left, start - 30) : start])
                and word != "talks"
            ):
                return "quantified: a count, not one occurrence"
        media = self.media.search(clause)
        if media and trigger.type in ("meeting", "conference"):
            return f"media statement ('{media.group()}')"
        return None

    @staticmethod
    def headline(text: str) -> bool:
        """Tell whether a title line reads like a headline (it repeats the story's event)."""
        return bool(_HEADLINE_VERB.search(text)) or True
