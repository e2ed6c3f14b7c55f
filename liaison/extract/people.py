"""Find people with the role and organization that a title or an apposition gives them."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from liaison.domain.enums import ActorKind
from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import ActorMention, CountryMention, PersonMention
from liaison.extract.registry import Registry, country_name, load_registry, pattern_json

_NAME_WORD = r"(?:[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]+)?|[A-Z]{2}(?=\s[A-Z][a-z]))"
_NAME = rf"{_NAME_WORD}(?:\s+(?:bin\s+|da\s+|de\s+|van\s+|von\s+|al-|el-)?{_NAME_WORD}){{1,3}}"
_ROLE_END = (
    r"(?=,|;|\.(?:\s|$)|\s+(?:met|meets|held|holds|said|says|sent|sends|paid|pays|received|receives|"
    r"led|visited|spoke|called|attended|delivered|chaired|co-chaired|addressed|signed|on|in|at|who|and|is|was|has|had|also)\b)"
)


def _titles() -> list[str]:
    titles: list[str] = pattern_json("people.json")["titles"]
    return sorted(titles, key=len, reverse=True)


class PeopleFinder:
    """Mark people named with a title ("Lao President Thongloun") or an apposition."""

    def __init__(self) -> None:
        self.registry = load_registry()
        data = pattern_json("people.json")
        self.not_names = set(data["not_names"])
        self.state_titles = {t.lower() for t in data["state_titles"]}
        titles = "|".join(re.escape(t) for t in _titles())
        # The first letters a title can start with: checked before the long list of titles.
        first = re.escape("".join(sorted({t[0] for t in _titles()})))
        first_any_case = re.escape(
            "".join(sorted({c for t in _titles() for c in (t[0].lower(), t[0].upper())}))
        )
        self.title_word = re.compile(rf"(?=[{first_any_case}])\b(?:{titles})\b", re.I)
        honorifics = "|".join(re.escape(h) for h in data["honorifics"])
        # Every match starts with a capital or with its/his/her/their/the: the lookahead lets
        # the scan skip other positions at once (same matches, less backtracking).
        self.before = re.compile(
            rf"(?=[A-Zhit])(?P<pre>(?:(?:[A-Z][\w'’-]+|its|his|her|their|the)\s+){{0,3}}?)(?P<title>(?=[{first}])(?:{titles})(?:\s+to\s+[A-Z][a-z]+)?)"
            rf"\s+(?:(?:{honorifics})\s+)?(?P<name>{_NAME})\b"
        )
        self.apposition = re.compile(
            rf"(?=[A-Z])(?:(?:{honorifics})\s+)?(?P<name>{_NAME}),\s+(?P<role>(?:a |an |"
            rf"the )?[\w'’()-]+(?:\s+[\w'’()-]+){{0,18}}?){_ROLE_END}"
        )

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        actors: list[ActorMention] = doc._.lx_actors or []
        countries: list[CountryMention] = doc._.lx_countries or []
        people: list[PersonMention] = []
        taken: list[tuple[int, int]] = []
        for match in self.apposition.finditer(text):
            role = match["role"].strip()
            if not self.title_word.search(role) or not self._is_name(match["name"], actors):
                continue
            org, state = self._org(match.start("role"), match.end("role"), actors, countries, role)
            people.append(
                PersonMention(
                    match.start("name"), match.end("name"), match["name"], role, org, state
                )
            )
            taken.append(match.span("name"))
        for match in self.before.finditer(text):
            start, end = match.span("name")
            if any(start < e and s < end for s, e in taken) or not self._is_name(
                match["name"], actors
            ):
                continue
            pre = match["pre"].strip()
            # A capitalised word that opens the sentence ("When President Xi") is not the role.
            while pre and self._opener(pre.split(" ", 1)[0]):
                pre = pre.split(" ", 1)[1] if " " in pre else ""
            role = f"{pre} {match['title']}".strip()
            if pre.split(" ")[0:1] and pre.split(" ")[0] in ("its", "his", "her", "their", "the"):
                role = match["title"]
            org, state = self._org(
                match.start(), match.start("name"), actors, countries, match["title"]
            )
            people.append(PersonMention(start, end, match["name"], role, org, state))
            taken.append((start, end))
        people.sort(key=lambda p: p.start)
        doc._.lx_people = people
        return doc

    def _opener(self, word: str) -> bool:
        """Tell a sentence-opening word ("When") from part of a role ("Chinese")."""
        return word in self.not_names and word not in self.registry.adjectives

    def _is_name(self, name: str, actors: list[ActorMention]) -> bool:
        words = name.split()
        if any(w in self.not_names for w in words):
            return False
        registry: Registry = self.registry
        return not (
            name in registry.country_names
            or name in registry.cities
            or words[0] in registry.adjectives
        )

    def _org(
        self,
        start: int,
        end: int,
        actors: list[ActorMention],
        countries: list[CountryMention],
        title: str,
    ) -> tuple[str | None, bool]:
        inside = [a for a in actors if start <= a.start and a.end <= end]
        state_title = any(t in title.lower() for t in self.state_titles)
        if inside:
            actor = inside[0].actor
            return actor.name, actor.kind is ActorKind.GOVERNMENT
        place = [c for c in countries if start <= c.start and c.end <= end]
        if place:
            return country_name(self.registry, place[0].iso3), state_title
        return None, state_title


@Language.factory(
    "liaison_people_v1",
    requires=["doc._.lx_actors", "doc._.lx_countries"],
    assigns=["doc._.lx_people"],
)
def make_people(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the people finder."""
    ensure_extensions()
    return PeopleFinder()
