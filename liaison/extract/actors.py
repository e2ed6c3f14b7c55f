"""Find counterparts: registry names, abbreviations, unknown parties by shape, countries, cities."""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections import Counter
from collections.abc import Callable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from liaison.domain.enums import ActorKind
from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import ActorMention, CountryMention, PlaceMention
from liaison.extract.registry import Actor, Registry, load_registry

_CAP = r"[A-Z][\w'’.-]*"
_HEADS = (
    r"(?:Party|Pati|Front|Movement|Congress|Union|League|Alliance|Organi[sz]ation|Rally|Coalition)"
)
_SHAPE = re.compile(
    rf"\b(?:{_CAP}\s+)(?:(?:{_CAP}|of|for|and|the|de|del|da|do|des|du|la|y|&)\s+){{0,6}}?{_HEADS}\b"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:\s+(?:{_CAP}|and|for|of))*?(?=[\s,.;:)]|$))?"
    rf"(?:\s*\((?P<abbr>[A-Za-z][\w-]*(?:\s[A-Za-z][\w-]*)?)\))?"
)
_SINGLE = re.compile(rf"\b(?P<name>{_CAP}(?:\s{_CAP})?)\s+party\b")
_LOCAL_ORGAN = re.compile(
    rf"\bCPC\s+(?:{_CAP}\s+){{1,4}}(?:Provincial|Municipal|Regional|City|County|Prefectural|District)"
    r"\s+Committee\b"
)
_EMBASSY = re.compile(
    rf"\b(?=[A-Z])(?:(?P<adj>{_CAP})\s+)?Embassy(?:\s+of\s+(?:the\s+)?(?P<of>(?:{_CAP}\s?)+?))?\s+in\s+(?:the\s+)?"
    rf"(?P<host>{_CAP}(?:\s+(?:of\s+)?{_CAP})*)"
)
_AGGREGATE = re.compile(
    r"\b(?=[A-Zadeflmopr])(?:(?:[A-Z][\w-]+|political|ruling|major|foreign|left-wing|other|leftist)\s+){0,3}"
    r"(?:parties|diplomats|ambassadors|envoys|party leaders|organizations)"
    r"(?:\s+and\s+(?:political\s+)?organizations)?"
    r"\s+(?:from|of|in|across|around)\s+(?:the\s+)?(?:(?:more than|over|nearly|about|"
    r"some)\s+\d[\d,]*\s+)?"
    r"(?:[\w'’-]+\s+){0,4}?(?:countries|nations|states|world|regions)\b"
)
# Every aggregate holds one of these words; texts without any skip the scan.
_AGGREGATE_WORDS = (
    "parties",
    "diplomats",
    "ambassadors",
    "envoys",
    "party leaders",
    "organizations",
)
_NATIONAL_PARTIES = re.compile(
    r"\b(?P<adj>[A-Z][a-z]+) (?:(?:political|opposition|ruling|major|main) ){0,2}parties\b"
)
_NAME_GOES_ON = re.compile(r" [A-Z][a-z]")
_POSSESSIVE_ORGAN = re.compile(r"['’]s\s+((?:[A-Z][\w-]*)(?:\s+[A-Z][\w-]*){0,3})")
_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*){0,3})")
_LEADING_NOISE = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "During",
        "After",
        "Before",
        "Both",
        "Delegates",
        "Leaders",
        "Members",
        "Representatives",
        "Participants",
        "Parties",
        "Party",
        "Attending",
        "Including",
        "Among",
        "And",
        "Of",
        "With",
        "From",
        "For",
        "By",
        "Also",
        "Leader",
        "Chairman",
        "President",
        "Secretary-General",
        "General",
        "Secretary",
        "Head",
        "Delegations",
        "Delegation",
        "Vice",
        "Deputy",
        "Minister",
        "Comrade",
        "Senior",
        "Former",
        "Ruling",
        "Opposition",
        "Political",
        "Major",
        "Main",
        "Sister",
        "Fraternal",
        "Foreign",
        "Other",
        "Each",
        "Every",
        "Governing",
    ]
)
_ORGAN_WORDS = (
    "Youth League",
    "Women's League",
    "Youth Wing",
    "Youth Union",
    "Committee",
    "Commission",
    "Department",
)


def _make_matchers(nlp: Language, registry: Registry) -> tuple[PhraseMatcher, PhraseMatcher]:
    names = PhraseMatcher(nlp.vocab, attr="LOWER")
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    plain_countries = {n.lower() for n in registry.country_names}
    for surface, keys in registry.names.items():
        if surface in plain_countries:
            # A bare country name is a country mention; events decide whether it is a party.
            continue
        # A name with a spaced dash is also written with a bare hyphen ("Union-Patriotic Front").
        forms = {surface}
        if re.search(r" [–—-] ", surface):
            forms |= {re.sub(r" [–—-] ", "-", surface), re.sub(r" [–—-] ", " - ", surface)}
        names.add("A:" + "|".join(keys), [nlp.make_doc(form) for form in sorted(forms)])
    for surface, keys in registry.abbreviations.items():
        if surface in registry.country_names:
            continue
        exact.add("B:" + "|".join(keys), [nlp.make_doc(surface)])
    for surface, iso3 in registry.country_names.items():
        exact.add("C:" + iso3, [nlp.make_doc(surface)])
    for surface, iso3 in registry.adjectives.items():
        exact.add("J:" + iso3, [nlp.make_doc(surface)])
    for city, iso3 in registry.cities.items():
        exact.add("P:" + iso3, [nlp.make_doc(city)])
        if city.upper() != city:
            exact.add("P:" + iso3, [nlp.make_doc(city.upper())])
    return names, exact


class ActorFinder:
    """Mark registry actors, unknown parties, countries and cities on a doc."""

    def __init__(self, nlp: Language) -> None:
        self.registry = load_registry()
        self.names, self.exact = _make_matchers(nlp, self.registry)

    def __call__(self, doc: Doc) -> Doc:
        registry = self.registry
        text = text_of(doc)
        spans: list[Span] = []
        for match_id, start, end in self.names(doc):
            span = Span(doc, start, end, label=match_id)
            if span.text[:1].isupper():
                spans.append(span)
        countries: list[CountryMention] = []
        places: list[PlaceMention] = []
        abbreviations: list[Span] = []
        for match_id, start, end in self.exact(doc):
            span = Span(doc, start, end, label=match_id)
            label = span.label_
            if label.startswith("B:"):
                abbreviations.append(span)
            elif label.startswith(("C:", "J:")):
                countries.append(
                    CountryMention(
                        span.start_char, span.end_char, span.text, label[2:], label[0] == "J"
                    )
                )
            else:
                city = span.text if not span.text.isupper() else span.text.title()
                places.append(PlaceMention(span.start_char, span.end_char, city, label[2:]))
        doc_countries = Counter(c.iso3 for c in countries)
        lowered = text.lower()
        for span in abbreviations:
            keys = span.label_[2:].split("|")
            if len(span.text) <= 2 and not any(
                registry.actor(k).name.lower() in lowered
                or doc_countries.get(registry.actor(k).country or "")
                for k in keys
            ):
                continue  # two letters are too common to trust without their full name nearby
            spans.append(span)
        # "Workers' Party ... (PT)": an abbreviation in the text tells namesakes apart.
        abbreviated = {k for span in abbreviations for k in span.label_[2:].split("|")}
        mentions: list[ActorMention] = []
        for span in filter_spans(spans):
            keys = span.label_[2:].split("|")
            actor = _pick(registry, keys, doc_countries, abbreviated)
            previous = mentions[-1] if mentions else None
            if (
                previous is not None
                and previous.actor.key in keys
                and re.fullmatch(r"\s*\(", text[previous.end : span.start_char])
            ):
                actor = previous.actor  # "Workers' Party (PT)": the bracket names the same party
            tail = _OF_COUNTRY.match(text, span.end_char)
            if tail and registry.country_names.get(tail.group(1)) not in (None, actor.country):
                continue  # "Socialist Party of Zambia" is not France's "Socialist Party"
            rule = "registry name" if span.label_.startswith("A:") else "registry abbreviation"
            mention = ActorMention(span.start_char, span.end_char, span.text, actor, rule)
            mentions.append(self._possessive_organ(text, mention) or mention)
        shaped = self._shapes(text, mentions, countries)
        wide = [
            (m.start, m.end) for m in shaped if m.rule in ("local committee shape", "embassy shape")
        ]
        mentions = [m for m in mentions if not any(s <= m.start and m.end <= e for s, e in wide)]
        mentions.extend(shaped)
        mentions.sort(key=lambda m: m.start)
        doc._.lx_actors = mentions
        doc._.lx_countries = _outside(countries, mentions)
        doc._.lx_places = _whole_places(text, places)
        return doc

    def _possessive_organ(self, text: str, mention: ActorMention) -> ActorMention | None:
        """Read "the CPC Central Committee's International Department" as the organ it names."""
        tail = _POSSESSIVE_ORGAN.match(text, mention.end)
        if tail is None:
            return None
        words = tail.group(1).split()
        for size in range(len(words), 0, -1):
            organ = " ".join(words[:size])
            for form in (f"{organ} of the {mention.text}", f"{organ} of {mention.text}"):
                keys = self.registry.names.get(form.lower())
                if keys:
                    end = tail.start(1) + len(organ)
                    actor = self.registry.actor(keys[0])
                    return ActorMention(
                        mention.start, end, text[mention.start : end], actor, "possessive organ"
                    )
        return None

    def _shapes(
        self, text: str, known: list[ActorMention], countries: list[CountryMention]
    ) -> list[ActorMention]:
        found: list[ActorMention] = []
        taken = sorted((m.start, m.end) for m in known)

        def near(start: int, end: int) -> list[tuple[int, int]]:
            index = bisect_right(taken, (end, end))
            return taken[max(0, index - 8) : index]

        def free(start: int, end: int) -> bool:
            return not any(start < e and s < end for s, e in near(start, end))

        def free_of_names(start: int, end: int) -> bool:
            # A registry abbreviation inside ("CPC" in "CPC Gansu Provincial Committee") gives way.
            return not any(
                start < e and s < end and not (start <= s and e <= end) for s, e in near(start, end)
            )

        for match in _LOCAL_ORGAN.finditer(text) if "CPC" in text else ():
            if free_of_names(*match.span()):
                actor = Actor("shape:" + match.group(), match.group(), ActorKind.PARTY_ORGAN, "CHN")
                found.append(
                    ActorMention(
                        match.start(), match.end(), match.group(), actor, "local committee shape"
                    )
                )
                insort(taken, match.span())
        for match in _EMBASSY.finditer(text) if "Embassy" in text else ():
            if not free_of_names(*match.span()):
                continue
            iso3 = self.registry.adjectives.get(match["adj"] or "") or self._country_in(
                match["of"] or ""
            )
            if iso3:
                actor = Actor("shape:" + match.group(), match.group(), ActorKind.GOVERNMENT, iso3)
                found.append(
                    ActorMention(match.start(), match.end(), match.group(), actor, "embassy shape")
                )
                insort(taken, match.span())
        for match in _SHAPE.finditer(text):
            mention = self._party_shape(text, match, countries)
            if mention and free(mention.start, mention.end):
                found.append(mention)
                insort(taken, (mention.start, mention.end))
        for match in _SINGLE.finditer(text) if "party" in text else ():
            name = match["name"]
            if name.split()[0] in _LEADING_NOISE or not free(match.start(), match.end()):
                continue
            iso3 = self._context_country(text, match.start(), countries)
            actor = Actor("shape:" + name, name, ActorKind.PARTY, iso3)
            found.append(
                ActorMention(match.start(), match.end("name"), name, actor, "'<Name> party' shape")
            )
            insort(taken, match.span())
        aggregate = any(word in text for word in _AGGREGATE_WORDS)
        for match in _AGGREGATE.finditer(text) if aggregate else ():
            if not free(*match.span()):
                continue
            phrase = match.group()
            words = phrase.split()
            while words and words[0] in _LEADING_NOISE:
                words.pop(0)
            phrase = " ".join(words)
            state = ("diplomats", "ambassadors", "envoys")
            kind = ActorKind.GOVERNMENT if any(w in phrase for w in state) else ActorKind.PARTY
            start = match.end() - len(phrase)
            actor = Actor("aggregate:" + phrase, phrase, kind, None)
            found.append(ActorMention(start, match.end(), phrase, actor, "aggregate of parties"))
            insort(taken, (start, match.end()))
        # "leaders of Kenyan political parties": the parties of one country, as a group.
        for match in _NATIONAL_PARTIES.finditer(text) if "parties" in text else ():
            iso3 = self.registry.adjectives.get(match["adj"])
            if iso3 is None or not free(*match.span()):
                continue
            phrase = match.group()
            actor = Actor("aggregate:" + phrase, phrase, ActorKind.PARTY, iso3)
            found.append(
                ActorMention(match.start(), match.end(), phrase, actor, "aggregate of parties")
            )
        return found

    def _party_shape(
        self, text: str, match: re.Match[str], countries: list[CountryMention]
    ) -> ActorMention | None:
        start, _end = match.span()
        phrase = match.group()
        if match["abbr"]:
            phrase = phrase[: match.start("abbr") - start].rstrip(" (")
        iso3: str | None = None
        words = phrase.split(" ")
        while words and (words[0] in _LEADING_NOISE or words[0].endswith(("'s", "’s"))):
            head = words.pop(0)
            if head.endswith(("'s", "’s")):
                iso3 = iso3 or self.registry.country_names.get(head[:-2])
        if len(words) < 2:
            return None
        name = " ".join(words)
        start = start + len(match.group()) - len(match.group().lstrip()) + phrase.find(name)
        tail = re.search(r"\s+of\s+(?:the\s+)?(.+)$", name)
        if tail and tail.group(1) in self.registry.country_names:
            iso3 = self.registry.country_names[tail.group(1)]
            stem = name[: tail.start()]
            # "Socialist Party of Zambia" is the name;
            # "Basotho Green Renewal Party of Lesotho" says where.
            if re.search(_HEADS + r"$", stem) and len(stem.split()) > 2:
                name = stem
        if iso3 is None:
            iso3 = self._country_in(name) or self._context_country(text, start, countries)
        kind = ActorKind.PARTY
        if any(word in name for word in _ORGAN_WORDS):
            kind = ActorKind.PARTY_ORGAN
        actor = Actor("shape:" + name, name, kind, iso3)
        return ActorMention(start, start + len(name), name, actor, "party shape")

    def _country_in(self, name: str) -> str | None:
        for word in re.findall(r"[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?", name):
            for candidate in (word, word.split()[0]):
                iso3 = self.registry.adjectives.get(candidate) or self.registry.country_names.get(
                    candidate
                )
                if iso3:
                    return iso3
        return None

    def _context_country(
        self, text: str, position: int, countries: list[CountryMention]
    ) -> str | None:
        """Infer a country from the nearest foreign country named in the same paragraph."""
        para_start = text.rfind("\n", 0, position) + 1
        para_end = text.find("\n", position)
        para_end = len(text) if para_end < 0 else para_end
        near = [c for c in countries if para_start <= c.start < para_end and c.iso3 != "CHN"]
        if near:
            return min(near, key=lambda c: abs(c.start - position)).iso3
        return None


def _pick(
    registry: Registry, keys: list[str], doc_countries: Counter[str], abbreviated: set[str]
) -> Actor:
    """Choose among namesakes: the one whose abbreviation the text uses, else whose country."""
    actors = [registry.actor(k) for k in keys]
    actors.sort(key=lambda a: (a.key not in abbreviated, -doc_countries.get(a.country or "", 0)))
    return actors[0]


def _whole_places(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Keep whole place names: "Victoria" inside "Victoria Falls" or "Harare Herald" is none."""
    kept = []
    for place in places:
        longer = any(
            o.start <= place.start
            and place.end <= o.end
            and o.end - o.start > place.end - place.start
            for o in places
        )
        if not longer and not _NAME_GOES_ON.match(text, place.end):
            kept.append(place)
    return kept


def _outside(countries: list[CountryMention], actors: list[ActorMention]) -> list[CountryMention]:
    starts = [a.start for a in actors]
    out = []
    for country in countries:
        index = bisect_right(starts, country.start) - 1
        # Actors may nest (an aggregate around a name), so look back a few.
        inside = any(
            actors[i].start <= country.start and country.end <= actors[i].end
            for i in range(max(0, index - 3), index + 1)
        )
        if not inside:
            out.append(country)
    return out


@Language.factory(
    "liaison_actors_v1",
    requires=["doc._.lx_sentences"],
    assigns=["doc._.lx_actors", "doc._.lx_countries", "doc._.lx_places"],
)
def make_actors(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the actor finder over the registry."""
    ensure_extensions()
    return ActorFinder(nlp)
