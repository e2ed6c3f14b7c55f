"""Assemble events from triggers, mechanisms, dates, participants and places, per sentence."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from liaison.domain.dates import PartialDate
from liaison.domain.enums import ActorKind
from liaison.extract.context import SentenceView, sentence_views
from liaison.extract.cues import Cues
from liaison.extract.extensions import ensure_extensions, text_of
from liaison.extract.mentions import DateMention, MechanismMention, PersonMention, Trigger
from liaison.extract.participants import (
    ParticipantRules,
    Party,
    dateline_place,
    government,
    people_for,
    venue,
)
from liaison.extract.registry import Registry, load_registry, pattern_json, pattern_text

_DETERMINER = re.compile(
    r"\b(the|this|that|these|those|his|her|their|its|our|a|an)\s+(?:[\w'’-]+\s+){0,3}$", re.I
)
_SPECIFIC = re.compile(
    r"^\s*(?:commemorating|marking|celebrating|themed|titled|on the theme|in honor)", re.I
)
_PRESS = re.compile(r"\b(?:press|news)\s+$", re.I)
_SIDELINES = re.compile(
    r"\b(?:sidelines|margins?|fringes?) of (?:the |this )?(?:[\w'’-]+ ){0,3}$", re.I
)
# "Delegates also visited a museum": the side programme of a forum, not a visit between sides.
_SIDE_VISIT = re.compile(
    r"(?:^|,\s*)(?:the |some |many )?(?:delegates|participants|attendees|guests|"
    r"representatives)(?: also)? $",
    re.I,
)
_SEPARATELY = re.compile(
    r"\bseparately\b|\brespectively\b|\bseparate (?:talks|meetings|receptions)\b", re.I
)
_DURING_VISIT = re.compile(
    r"\b(?:during|in the course of) (?:the|his|her|their|this) (?:visit|trip|stay|tour)\b", re.I
)
_COUNT = re.compile(
    r"^(?:\s+[\w'’-]+){0,4}?\s+(?:more than |over |nearly |about |some )?(?:\d[\d,]*|nine|"
    r"seven|five|four|six|eight|ten)"
    r"\s+(?:[\w-]+\s+){0,2}(?:countries|nations|leaders|calls|events|visits|meetings|parties|delegations|heads|times|"
    r"activities|messages|letters|briefings|organizations)\b",
    re.I,
)
_PERFECT = re.compile(
    r"\b(?:have|has)\s+(?:\w+\s+)?(?:held|hosted|organized|convened|attended|sent|maintained)\b",
    re.I,
)
_PARTICIPLE = re.compile(r"Meeting\s+(?:with\s+)?(?:a|an)\s+(?:[\w'’-]+\s+){0,6}?delegation\b")
# "Liu, who is on a working visit to Malaysia, also met ...": the visit is the setting.
_ONGOING = re.compile(r"\b(?:who|which|that)\s+(?:(?:is|are)\b[^,;]*)?$")
# "a forum between the CPC and Marxist parties from around the world" is multilateral.
_MANY_PARTIES = re.compile(r"\s+between\b[^,;.]{0,80}?(?<!two )(?<!both )\bparties\b")
# "briefed them on the outcomes of the Third Plenary Session": a topic, not an event.
_TOPIC_OF = re.compile(
    r"\b(?:outcomes?|results?|spirit|decisions?|principles|achievements|documents?|"
    r"deliberations|resolutions) of (?:the |a |an )?(?:[\w'’-]+ ){0,3}$",
    re.I,
)
# "briefed them on the outcome of the plenum, held in Beijing in July": the topic's own place
# and date, from the opener to the end of the sentence.
_DISCUSSED = re.compile(
    r"(?=[wdate])(?:\b(?:where|during which|at which) (?:they|the two sides|both sides) "
    r"(?:discussed|exchanged)\b|\b(?:to discuss|discussed|exchanged views on)\b)"
)
_TOPIC_OPENER = re.compile(
    r"(?=[oa])\b(?:on|about) (?:the )?(?:outcomes?|results?|spirit|decisions?|guiding principles|"
    r"resolutions|achievements) of\b",
    re.I,
)
# "after the state visit of the prime minister to China": the visit dates something else.
_BACKGROUND_VISIT = re.compile(
    r"\b(?:after|following|since|before) (?:the|his|her|their) (?:[\w'’-]+ ){0,2}$"
    r"|\b(?:is|was) (?:the|his|her|their|its) (?:first|second|third|fourth|fifth|latest|"
    r"\d+(?:st|nd|rd|th)) (?:[\w'’-]+ ){0,2}$",
    re.I,
)
# "The party's Leadership Council met ...": a party's own organ, meeting on its own.
_OWN_ORGAN = re.compile(r"\s*The (?:party|Party)['’]s (?:[A-Z][\w-]* ){1,4}(?:met|meets)\b")
# "Laotian students in China wrote a letter to ...": people-to-people, not a party or state act.
_PEOPLE_WRITERS = re.compile(
    r"\b(?:students|pupils|children|citizens|residents|villagers|farmers|workers|teachers|"
    r"young people|scholars|readers|fans)\b"
)
_HOW_HELD = re.compile(
    r"\b(?:held|conducted|took place|taking place|met|meeting|joined|attended|participated|"
    r"spoke|connected|was|were|talks|dialogue)\b(?:\s+[\w-]+){0,3}\s*$"
)
_FOLLOWING = re.compile(
    r"\s*(?:Following|After|During|At the end of) (?:the|their|this|these) "
    r"(?:talks|meeting|meetings|visit|ceremony|dialogue|forum|seminar)\b"
)
_CAPITALISED = re.compile(r"\s+(?:of|on|for)\s+[A-Z]|\s+[A-Z]")
_PERFECT_NEWS = re.compile(r"\b(?:has|have)\s+(?:\w+ly\s+)?$", re.I)
_LEADER = re.compile(r"\b(?:Xi Jinping|General Secretary Xi|President Xi)\b")
# "the Chinese delegation paid a courtesy call on ...": the Chinese side, unnamed.
_CHINESE_DELEGATION = re.compile(r"\b(?:[Tt]he|[Aa]) Chinese (?:party )?delegation\b")
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]is|[Ss]he|[Hh]er)\b")
_SIDES = (ActorKind.PARTY, ActorKind.PARTY_ORGAN, ActorKind.GOVERNMENT)
# The dateline place is where the events of the days before the story took place.
_NEAR_DAYS = 14
_USABLE_DATE = ("absolute", "relative", "range_start", "year", "same_day", "next_day", "same_year")


@dataclass
class Draft:
    """An event being assembled."""

    type: str
    mode: str
    date: PartialDate | None
    sentence: int
    start: int
    end: int
    parties: list[Party] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    city: str | None = None
    country: str | None = None
    mechanism: str | None = None
    mechanism_key: str | None = None
    topics: list[str] = field(default_factory=list)
    confidence: float = 0.6
    why: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """A trigger or a mechanism that may report an event."""

    type: str
    start: int
    end: int
    text: str
    pos: str
    trigger: Trigger | None = None
    mechanism: MechanismMention | None = None


class EventAssembler:
    """Turn the mentions of a doc into events and an explanation trail."""

    def __init__(self) -> None:
        self.registry = load_registry()
        self.cues = Cues()
        self.rules = ParticipantRules(self.registry)
        triggers = pattern_json("triggers.json")
        self.mode_cues = {
            mode: re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.I)
            for mode, cues in triggers["mode_cues"].items()
            if mode == "video"
        }
        # Plain substrings first: the word-bounded pattern runs only where one occurs.
        self.video_cues = tuple(cue.lower() for cue in triggers["mode_cues"]["video"])
        verbs = sorted(triggers["occurrence_verbs"], key=len, reverse=True)
        self._drafts: list[Draft] = []
        self._views: list[SentenceView] = []
        self._text = ""
        self.occurrence = re.compile(
            r"\b(?:" + "|".join(re.escape(v) for v in verbs) + r")\b", re.I
        )

    def __call__(self, doc: Doc) -> Doc:
        views = sentence_views(doc)
        self._views = views
        self._text = text_of(doc)
        trail: list[dict[str, Any]] = []
        drafts: list[Draft] = []
        for view in views:
            if view.sentence.title:
                for trigger in view.triggers:
                    trail.append(
                        _drop(view, trigger.text, "title line: the story's body reports it")
                    )
                continue
            for candidate in self._candidates(view, trail):
                reason = self._reject(view, candidate, drafts)
                if reason:
                    trail.append(_drop(view, candidate.text, reason))
                    continue
                for draft in self._build(doc, view, candidate, drafts):
                    _borrow_parties(draft, drafts, view)
                    why = _lacks_counterpart(draft)
                    if why:
                        trail.append(_drop(view, candidate.text, why))
                    else:
                        drafts.append(draft)
        drafts = _dedupe(drafts, trail, self.registry, self._text)
        doc._.lx_events = drafts
        doc._.lx_trail = trail
        return doc

    def _candidates(self, view: SentenceView, trail: list[dict[str, Any]]) -> list[Candidate]:
        out: list[Candidate] = []
        discussed = _DISCUSSED.search(view.body)
        talked = view.start + discussed.end() if discussed else view.sentence.end
        for mechanism in view.mechanisms:
            if mechanism.start >= talked:
                trail.append(_drop(view, mechanism.text, "what the sides discussed"))
                continue
            if _TOPIC_OF.search(view.body[: mechanism.start - view.start]):
                trail.append(_drop(view, mechanism.text, "a meeting named as a topic"))
                continue
            kind = "meeting" if mechanism.bilateral else "conference"
            out.append(
                Candidate(
                    kind,
                    mechanism.start,
                    mechanism.end,
                    mechanism.text,
                    "name",
                    mechanism=mechanism,
                )
            )
        for trigger in view.triggers:
            inside = [m for m in view.mechanisms if m.start <= trigger.start < m.end + 1]
            if inside:
                continue
            rel = trigger.start - view.start
            if trigger.type == "conference" and _PRESS.search(view.body[max(0, rel - 8) : rel]):
                trail.append(_drop(view, trigger.text, "a press conference is not an exchange"))
                continue
            if (
                trigger.pos == "noun"
                and trigger.text[:1].isupper()
                and any(a.start <= trigger.start < a.end for a in view.actors)
            ):
                continue  # "Political Consultative Conference" names a body, not a meeting
            if trigger.pos == "noun" and trigger.start >= talked:
                trail.append(_drop(view, trigger.text, "what the sides discussed"))
                continue
            if trigger.pos == "noun" and _TOPIC_OF.search(view.body[:rel]):
                trail.append(_drop(view, trigger.text, "a meeting named as a topic"))
                continue
            if trigger.type == "conference" and _SIDELINES.search(view.body[:rel]):
                trail.append(_drop(view, trigger.text, "the forum is where another event happened"))
                continue
            kind = trigger.type
            after = view.body[rel + len(trigger.text) :]
            if (
                trigger.rule == "conference_noun"
                and re.match(r"\s+between\b", after)
                and not _MANY_PARTIES.match(after)
            ):
                kind = "meeting"  # a dialogue between two parties is their meeting
            out.append(
                Candidate(
                    kind, trigger.start, trigger.end, trigger.text, trigger.pos, trigger=trigger
                )
            )
        # One event per type and sentence, except named mechanisms, which are each one occurrence.
        merged: list[Candidate] = []
        for candidate in out:
            if candidate.mechanism is None and any(
                m.type == candidate.type and 0 <= m.start - candidate.end <= 25
                for m in out
                if m.mechanism
            ):
                continue  # "the 10th meeting of the <mechanism>" is the mechanism's meeting
            if candidate.mechanism is None and any(
                m.type == candidate.type and m.mechanism is None for m in merged
            ):
                continue
            merged.append(candidate)
        if any(c.type == "conference" for c in merged):
            merged = [
                c for c in merged if not (c.type == "meeting" and not self._met_with(view, c))
            ]
        return merged

    @staticmethod
    def _met_with(view: SentenceView, candidate: Candidate) -> bool:
        after = view.body[candidate.end - view.start : candidate.end - view.start + 20]
        return candidate.pos == "verb" and bool(re.match(r"\s+(?:separately\s+)?with\b", after))

    def _reject(self, view: SentenceView, candidate: Candidate, drafts: list[Draft]) -> str | None:
        rel_start, rel_end = candidate.start - view.start, candidate.end - view.start
        pseudo = candidate.trigger or Trigger(
            candidate.start,
            candidate.end,
            candidate.text,
            candidate.type,
            "noun",
            None,
            "mechanism",
        )
        reason = self.cues.reason(view.body, pseudo, rel_start, rel_end)
        if reason:
            return reason
        dates = [d for d in view.dates if d.kind in _USABLE_DATE]
        left, right = self.cues.clause(view.body, rel_start, rel_end)
        occurs = bool(self.occurrence.search(view.body))
        # "Meeting a CPP delegation on Friday, Trung said ...": a participle, the act itself.
        participle = rel_start == 0 and bool(_PARTICIPLE.match(view.body))
        if candidate.pos in ("noun", "name") and not participle:
            det = _DETERMINER.search(view.body[max(0, rel_start - 40) : rel_start])
            definite = det is not None and det.group(1).lower() in (
                "the",
                "this",
                "that",
                "these",
                "those",
            )
            specific = _SPECIFIC.search(view.body[rel_end:])
            possessive = det is not None and det.group(1).lower() in (
                "his",
                "her",
                "their",
                "its",
                "our",
            )
            if (
                candidate.mechanism is None
                and (definite or possessive)
                and not specific
                and not dates
            ):
                return "refers back to an event already reported"
            if (
                candidate.mechanism is None
                and definite
                and not specific
                and not _CAPITALISED.match(view.body[rel_end:])
                and any(
                    d.type == candidate.type
                    or (d.type, candidate.type) == ("conference", "meeting")
                    for d in drafts
                )
            ):
                return "refers back to an event of the same kind reported before"
            if not dates and not occurs:
                return "no date and no act of holding: a mention, not an occurrence"
        if _PERFECT.search(view.body[:rel_start]):
            return "general statement (perfect tense)"
        clause_before = view.body[:left]
        if candidate.type == "visit" and _ONGOING.search(view.body[:rel_start]):
            return "an ongoing visit in a relative clause: the setting of the sentence's event"
        visit_before = any(t.type == "visit" and t.start < candidate.start for t in view.triggers)
        if (
            candidate.type == "meeting"
            and visit_before
            and re.search(r"\bwhere\s*$", clause_before)
        ):
            return "a meeting inside a visit's programme (a 'where' clause)"
        if re.match(r"\s*since\b", view.body[left:], re.I) or re.match(
            r"\s*since\b", view.body, re.I
        ):
            return "background clause ('since ...')"
        if re.search(r"\b(?:that|and) since\b[^,;]*$", view.body[:rel_start], re.I):
            return "background clause ('that since ... was held')"
        after = view.body[rel_end : min(right, rel_end + 45)]
        count = _COUNT.match(after)
        # "signed 200 agreements" counts the agreements in the noun; "established diplomatic
        # relations with nine countries" counts the partners, so it is a claim.
        relations = "relations" in candidate.text.lower()
        if count and candidate.pos != "name" and (candidate.type != "agreement" or relations):
            return "a count of exchanges: a claim, not one event"
        if (
            re.match(r"\s+(?:season|series|circuit|diplomacy|mechanism)\b", view.body[rel_end:])
            and candidate.mechanism is None
        ):
            return "a kind of activity, not one occurrence"
        if (
            candidate.trigger is not None
            and candidate.trigger.rule == "brief_verb"
            and not re.search(
                r"\bon (?:the )?(?:guiding|spirit|outcomes?|results|principles)|"
                r"\b(?:congress|plenary|plenum|session)\b",
                view.body[rel_end:right],
                re.I,
            )
        ):
            return "'briefed' inside a meeting, not a briefing event"
        if candidate.mechanism is not None:
            has_edition = bool(re.search(r"\d", candidate.text))
            held = re.search(
                r"\b(?:held|hosted|co-hosted|co-chaired|chaired|convened)\b", view.body[:rel_start]
            )
            if not dates and not has_edition and not (candidate.mechanism.bilateral and held):
                return "recurring forum named without an edition or a date"
        if candidate.type == "correspondence" and _PEOPLE_WRITERS.search(view.body[left:rel_start]):
            return "a letter from citizens, not between parties or states"
        if _in_quotation(view.body, rel_start):
            return "inside a quotation: what someone said, not a report"
        if candidate.type == "visit" and _BACKGROUND_VISIT.search(view.body[:rel_start]):
            return "a visit named as a time reference or counted ('after the visit of ...')"
        if candidate.type == "meeting" and _OWN_ORGAN.match(view.body):
            return "a party's own organ meeting: internal, not an exchange"
        if candidate.type == "visit" and _SIDE_VISIT.search(view.body[:rel_start]):
            return "a side visit of a forum's participants"
        if candidate.type == "agreement" and re.match(
            r"\s+(?:the |a )?(?:handover|hand-over|receipt|delivery) (?:certificate|document)",
            view.body[rel_end:],
            re.I,
        ):
            return "a handover certificate belongs to the assistance it records"
        if (
            candidate.type == "visit"
            and candidate.pos == "verb"
            and candidate.trigger
            and (
                not self.rules.destinations(view, candidate.start, candidate.end)
                and candidate.trigger.rule == "visit"
            )
        ):
            text = candidate.text.lower()
            if text.startswith("visited") or "delegation" in text or "arrived" in text:
                return "a visit to a site, not to a country"
        return None

    def _build(
        self, doc: Doc, view: SentenceView, candidate: Candidate, drafts: list[Draft]
    ) -> list[Draft]:
        body = view.body
        mode = self._mode(view, candidate)
        start, end = view.sentence.start, view.sentence.end
        # Bodies named in what the sides discussed are topics, not sides.
        discussed = _DISCUSSED.search(view.body, candidate.end - view.start)
        hi = min(
            end, topic_start(view, candidate), view.start + discussed.start() if discussed else end
        )
        parties = self.rules.parties(view, candidate.type, candidate.start, start, hi)
        people = people_for(view, start, end)
        if candidate.mechanism is not None:
            parties = self._forum_sides(view, parties, candidate.mechanism)
        parties = self._china_side(view, parties, people, candidate)
        parties = self._named_earlier(doc, view, parties, candidate)
        base = Draft(
            type=candidate.type,
            mode=mode,
            date=None,
            sentence=view.index,
            start=start,
            end=end,
            parties=parties,
            people=people,
            mechanism=candidate.mechanism.name if candidate.mechanism else None,
            mechanism_key=candidate.mechanism.key if candidate.mechanism else None,
            confidence={"verb": 0.8, "name": 0.75}.get(candidate.pos, 0.65),
            why=[
                f"trigger '{candidate.text}' "
                f"({candidate.trigger.rule if candidate.trigger else 'mechanism'})"
            ],
        )
        date, rule = self._date(doc, view, candidate, drafts, body)
        base.date = date
        base.why.append(f"date: {rule}")
        base.confidence += 0.1 if date and "inherited" not in rule else -0.05
        self._drafts = drafts
        self._place(doc, view, base, candidate)
        if mode == "in_person" and candidate.mechanism and candidate.mechanism.key:
            base.mode = self._edition_mode(candidate.mechanism.key, base.date) or mode
        splits = self._split(doc, view, candidate, base, drafts)
        for draft in splits:
            draft.confidence = min(
                0.95, draft.confidence + (0.05 if len(draft.parties) >= 2 else 0)
            )
        return splits

    def _mode(self, view: SentenceView, candidate: Candidate) -> str:
        if candidate.trigger and candidate.trigger.mode:
            return candidate.trigger.mode
        lowered = view.body.lower()
        if any(cue in lowered for cue in self.video_cues):
            rel_start, rel_end = candidate.start - view.start, candidate.end - view.start
            left, right = self.cues.clause(view.body, rel_start, rel_end)
            for cue in self.mode_cues["video"].finditer(view.body):
                # A cue in the event's clause, or one that says how something was held; not
                # "residents can complete procedures entirely online" further on.
                if left <= cue.start() < right or _HOW_HELD.search(view.body, 0, cue.start()):
                    return "video"
        if candidate.type == "call":
            return "phone"
        if candidate.type == "correspondence":
            return "written"
        return "in_person"

    def _edition_mode(self, key: str, date: PartialDate | None) -> str | None:
        if date is None:
            return None
        for edition in self.registry.mechanisms[key].editions:
            when = str(edition.get("date") or "")
            if when and when[:7].startswith(date.isoformat()[:7]) and edition.get("channel"):
                return str(edition["channel"])
        return None

    def _forum_sides(
        self, view: SentenceView, parties: list[Party], mechanism: MechanismMention
    ) -> list[Party]:
        """Keep a forum's event to its own bodies, and add the organizer the registry gives."""
        others = [m for m in view.mechanisms if m is not mechanism]

        # "the General Debate of the UN General Assembly and the Boao Forum": each body belongs
        # to the forum whose name holds it.
        def elsewhere(party: Party) -> bool:
            spots = [a.start for a in view.actors if a.actor.name == party.actor.name]
            spots = spots or [party.start]
            return all(any(m.start <= at < m.end for m in others) for at in spots)

        kept = [p for p in parties if not elsewhere(p)]
        record = self.registry.mechanisms.get(mechanism.key or "")
        organizer = self.registry.actors.get(record.organizer or "") if record else None
        if organizer and all(p.actor.name != organizer.name for p in kept):
            kept.insert(0, Party(organizer, "organizer", mechanism.start))
        return kept

    def _china_side(
        self,
        view: SentenceView,
        parties: list[Party],
        people: list[PersonMention],
        candidate: Candidate,
    ) -> list[Party]:
        """Add China (state events) or the CPC (party events) when a Chinese leader acts alone."""
        # A forum seated in China (Boao) is not the Chinese side.
        if any(p.actor.country == "CHN" and p.actor.kind in _SIDES for p in parties):
            return parties
        leader = _LEADER.search(view.body) or _CHINESE_DELEGATION.search(view.body)
        start = view.start + leader.start() if leader else None
        if start is None:
            start = self._leader_pronoun(view, candidate)
        if start is None:
            return parties
        has_party = any(p.actor.kind in (ActorKind.PARTY, ActorKind.PARTY_ORGAN) for p in parties)
        actor = self.registry.actors.get("cpc") if has_party else None
        actor = actor or government(self.registry, "CHN")
        role = {"meeting": "host", "visit": "guest"}.get(candidate.type, "participant")
        return [Party(actor, role, start), *parties]

    def _named_earlier(
        self, doc: Doc, view: SentenceView, parties: list[Party], candidate: Candidate
    ) -> list[Party]:
        """Add the body of a person named earlier and called by one name here ("Song noted")."""
        if view.people:
            return parties
        known = {p.actor.name for p in parties}
        for person in reversed(doc._.lx_people or []):
            if person.start >= view.start or not person.org or person.org in known:
                continue
            words = person.name.split()
            if len(words) < 2:
                continue
            names = {w for w in (words[0], words[-1]) if len(w) > 2 and w[:1].isupper()}
            found = None
            for name in names:
                found = re.search(rf"\b{re.escape(name)}\b(?!\s+[A-Z])", view.body) or found
            if found is None:
                continue
            keys = self.registry.names.get(person.org.lower())
            if not keys:
                return parties
            actor = self.registry.actor(keys[0])
            at = view.start + found.start()
            side = "host" if candidate.type == "meeting" and at < candidate.start else "participant"
            # The department stands for its country; a bare country name there is not a side.
            kept = [
                p
                for p in parties
                if not (
                    p.actor.kind is ActorKind.GOVERNMENT
                    and p.actor.country == actor.country
                    and actor.kind is not ActorKind.GOVERNMENT
                )
            ]
            return sorted([*kept, Party(actor, side, at)], key=lambda p: p.start)
        return parties

    def _leader_pronoun(self, view: SentenceView, candidate: Candidate) -> int | None:
        """Return where "he"/"his" stands for a Chinese leader named earlier in the paragraph."""
        rel = candidate.start - view.start
        pronoun = _PRONOUN.search(view.body, 0, rel + len(candidate.text))
        if pronoun is None or any(p.start < candidate.start for p in view.people):
            return None
        # The pronoun stands for the last person named before it in the same paragraph.
        for earlier in reversed(self._views[: view.index]):
            if "\n" in self._text[earlier.sentence.end : view.start]:
                return None
            if earlier.people:
                name = earlier.people[-1].name
                return view.start + pronoun.start() if _LEADER.search(name) else None
        return None

    def _date(
        self, doc: Doc, view: SentenceView, candidate: Candidate, drafts: list[Draft], body: str
    ) -> tuple[PartialDate | None, str]:
        dates = usable_dates(view, candidate)
        if dates:
            return self._resolve(doc, nearest_date(view, candidate, dates), drafts)
        if _DURING_VISIT.search(body) or re.search(r"\bthe delegation\b", body):
            for draft in reversed(drafts):
                if draft.type == "visit" and view.index - draft.sentence <= 6 and draft.date:
                    month = (
                        PartialDate(draft.date.year, draft.date.month)
                        if draft.date.month
                        else draft.date
                    )
                    return month, "inherited from the visit it took place during (month)"
        lead = next((d for d in drafts if d.date is not None), None)
        # A numbered edition of a forum ("the 75th Session") is its own occurrence, not the lead's.
        edition = candidate.mechanism is not None and bool(re.search(r"\d", candidate.text))
        if lead and lead.date and view.index - lead.sentence <= 6 and not edition:
            return lead.date, "inherited from the story's lead event"
        reference = doc._.lx_reference
        before = body[: candidate.start - view.start]
        if reference and not drafts and _PERFECT_NEWS.search(before):
            # "The CPC has sent a message to ...": news of the days before the story (month).
            return PartialDate(reference.year, reference.month), "present perfect: story's month"
        return None, "no date in the sentence"

    def _resolve(
        self, doc: Doc, mention: DateMention, drafts: list[Draft]
    ) -> tuple[PartialDate | None, str]:
        if mention.kind == "same_day":
            lead = next((d for d in drafts if d.date and d.date.day), None)
            if lead and lead.date:
                return lead.date, f"'{mention.text}': date of the lead event"
            reference = doc._.lx_reference
            if reference is not None and doc._.lx_dateline is not None:
                # No event dated before it: "the same day" is the day the dateline gives.
                day = PartialDate(reference.year, reference.month, reference.day)
                return day, f"'{mention.text}': the story's day (dateline)"
            return None, f"'{mention.text}' with no earlier day"
        if mention.kind in ("next_day", "same_year"):
            earlier = [
                d for d in doc._.lx_dates or [] if d.end <= mention.start and d.value is not None
            ]
            if earlier and earlier[-1].value:
                value = earlier[-1].value
                if mention.kind == "same_year":
                    return PartialDate(
                        value.year
                    ), f"'{mention.text}': year of '{earlier[-1].text}'"
                if value.day:
                    day = value.first_day + timedelta(days=1)
                    return PartialDate(
                        day.year, day.month, day.day
                    ), f"'{mention.text}': day after '{earlier[-1].text}'"
            return None, f"'{mention.text}' with no earlier date"
        if mention.value is None:
            return None, f"'{mention.text}': {mention.rule}"
        return mention.value, f"'{mention.text}': {mention.rule}"

    def _place(self, doc: Doc, view: SentenceView, draft: Draft, candidate: Candidate) -> None:
        if draft.mode in ("video", "phone", "written"):
            return
        city, country = venue(
            view,
            candidate.mechanism.text if candidate.mechanism else None,
            self.registry,
            topic_start(view, candidate),
        )
        line_city, line_country = dateline_place(doc._.lx_dateline)
        if city == "here":
            city, country = line_city, line_country
        if city:
            draft.city, draft.country = city, country
            return
        seat = self._seat(view, candidate)
        if seat:
            draft.city, draft.country = seat
            return
        host = self._visit_country(view, draft)
        if host:
            draft.country = host
            if line_country == host:
                draft.city = line_city
            return
        if line_country and _near(draft.date, doc._.lx_reference):
            draft.city, draft.country = line_city, line_country
            return
        placed = [d for d in self._drafts if d.country and view.index - d.sentence <= 4]
        previous = placed[-1] if placed else None
        if previous and _FOLLOWING.match(view.body):
            # "Following the talks, the two signed ...": where the talks were held.
            draft.city, draft.country = previous.city, previous.country

    def _seat(self, view: SentenceView, candidate: Candidate) -> tuple[str, str] | None:
        """Return the seat of a body the event took place at ("at the UN General Assembly")."""
        rel = candidate.start - view.start
        named = candidate.mechanism.text if candidate.mechanism else ""
        if not named:
            at = re.search(r"\b(?:at|to) the ([A-Z][^,;.]{2,60})", view.body[rel:])
            named = at.group(1) if at else ""
        for body, place in _seats().items():
            if body in named:
                return place
        return None

    def _visit_country(self, view: SentenceView, draft: Draft) -> str | None:
        if draft.type == "visit":
            return draft.country
        for other in reversed(self._drafts):
            if other.type == "visit" and view.index - other.sentence <= 6:
                # A differently dated event, or a named forum the sentence does not place inside
                # the visit, happened elsewhere.
                if not _compatible(draft.date, other.date):
                    return None
                if draft.mechanism and not _DURING_VISIT.search(view.body):
                    return None
                return other.country
        return None

    def _split(
        self, doc: Doc, view: SentenceView, candidate: Candidate, base: Draft, drafts: list[Draft]
    ) -> list[Draft]:
        registry = self.registry
        if candidate.type == "visit":
            places = self.rules.destinations(view, candidate.start, candidate.end)
            if places:
                out = []
                visitors = [p for p in base.parties if p.start < candidate.start]
                state = any(p.actor.kind is ActorKind.GOVERNMENT for p in visitors) or not visitors
                for iso3, city, _ in places:
                    draft = replace(
                        base, parties=list(visitors), city=city, country=iso3, why=list(base.why)
                    )
                    if state:
                        draft.parties.append(
                            Party(government(registry, iso3), "host", candidate.end)
                        )
                    else:
                        draft.parties.extend(p for p in base.parties if p.start >= candidate.start)
                    draft.why.append(f"visit destination {iso3}")
                    out.append(draft)
                return out
        several_forums = candidate.mechanism is not None and len(view.mechanisms) > 1
        # "attended the A and the B, ... respectively" pairs forums with acts, not with parties.
        # A sentence-opening "Separately," turns to other news; it splits nothing.
        opening = len("Separately,") if view.body.startswith("Separately,") else 0
        if _SEPARATELY.search(view.body, opening) and not several_forums:
            guests = [p for p in base.parties if p.start > candidate.end]
            hosts = [p for p in base.parties if p.start < candidate.start]
            if len(guests) >= 2:
                return [
                    replace(base, parties=[*hosts, guest], why=[*base.why, "split: separately"])
                    for guest in guests
                ]
            if len(hosts) >= 2:
                return [
                    replace(base, parties=[host, *guests], why=[*base.why, "split: separately"])
                    for host in hosts
                ]
        if candidate.type == "call":
            guests = [
                p
                for p in base.parties
                if p.start > candidate.end and p.actor.kind is ActorKind.GOVERNMENT
            ]
            dates = [d for d in view.dates if d.kind in _USABLE_DATE and d.start > candidate.end]
            if len(guests) >= 2 and len(dates) >= 2:
                hosts = [p for p in base.parties if p.start < candidate.start]
                out = []
                for guest in guests:
                    nearest = min(
                        dates,
                        key=lambda d: (
                            abs(d.start - guest.start) + (0 if d.start > guest.start else 1000)
                        ),
                    )
                    value, rule = self._resolve(doc, nearest, drafts)
                    out.append(
                        replace(
                            base,
                            parties=[*hosts, guest],
                            date=value,
                            why=[*base.why, f"split call: {rule}"],
                        )
                    )
                return out
        return [base]


@cache
def _seats() -> dict[str, tuple[str, str]]:
    """Return the seat city and country of bodies whose meetings are held at home."""
    rows = csv.DictReader(pattern_text("seats.csv").splitlines())
    return {row["body"]: (row["city"], row["iso3"]) for row in rows}


def _in_quotation(body: str, at: int) -> bool:
    """Whether a position of a sentence lies inside a quotation (an odd number of quotes before)."""
    before = body[:at]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def topic_start(view: SentenceView, candidate: Candidate) -> int:
    """Return where the topic of a candidate begins ("on the outcome of ..."), else its end."""
    opener = _TOPIC_OPENER.search(view.body, candidate.end - view.start)
    return view.start + opener.start() if opener else view.sentence.end


def usable_dates(view: SentenceView, candidate: Candidate) -> list[DateMention]:
    """Return the dates of a sentence that can date a candidate."""
    out = []
    topic = topic_start(view, candidate)
    for mention in view.dates:
        if mention.kind not in _USABLE_DATE or mention.start >= topic:
            continue
        inside = [m for m in view.mechanisms if m.start <= mention.start < m.end]
        if inside and candidate.mechanism not in inside:
            continue  # a year in another forum's name dates that forum only
        lo, hi = sorted((mention.start, candidate.start))
        if re.search(r"\bsince\b", view.body[lo - view.start : hi - view.start], re.I):
            continue  # "his first visit since ... in January"
        out.append(mention)
    return out


def nearest_date(view: SentenceView, candidate: Candidate, dates: list[DateMention]) -> DateMention:
    """Pick the date after the candidate and before the next one, else the nearest before it."""
    triggers = {
        t.start
        for t in view.triggers
        if not any(m.start <= t.start < m.end for m in view.mechanisms)
    }
    # "on Tuesday briefed", "yesterday met": a date just before a verb is its date.
    if candidate.pos == "verb":
        for mention in dates:
            gap = view.body[mention.end - view.start : candidate.start - view.start]
            if mention.end <= candidate.start and re.fullmatch(r",?\s*", gap):
                return mention
    anchors = sorted({m.start for m in view.mechanisms} | triggers)
    following = [a for a in anchors if a >= candidate.end]
    limit = following[0] if following else view.sentence.end
    after = [d for d in dates if candidate.start <= d.start < limit]
    if after:
        return after[0]
    before = [d for d in dates if d.start < candidate.start]
    if before:
        return before[-1]
    return min(dates, key=lambda d: abs(d.start - candidate.start))


def _drop(view: SentenceView, text: str, reason: str) -> dict[str, Any]:
    return {
        "sentence": view.body,
        "start": view.start,
        "end": view.sentence.end,
        "trigger": text,
        "reason": reason,
    }


def _borrow_parties(draft: Draft, drafts: list[Draft], view: SentenceView) -> None:
    """Give an event told in shorthand ("the delegation also met ...") the sides of the "
    "story's event."""
    specific = [p for p in draft.parties if not p.actor.key.startswith("aggregate:")]
    foreign = [p for p in specific if p.actor.country != "CHN"]
    # A named forum is its own counterpart ("the Boao Forum" is seated in China yet not its side).
    named_group = any(p.actor.key.startswith("aggregate:") for p in draft.parties)
    if foreign or not drafts or draft.mechanism or named_group:
        return
    previous = drafts[-1]
    if view.index - previous.sentence > 4:
        return
    names = {p.actor.name for p in draft.parties}
    borrowed = [
        p
        for p in previous.parties
        if (p.actor.name not in names and p.actor.country != "CHN") or not specific
    ]
    draft.parties.extend(
        Party(p.actor, p.role, p.start) for p in borrowed if p.actor.name not in names
    )
    draft.why.append("participants borrowed from the previous event of the story")


def _lacks_counterpart(draft: Draft) -> str | None:
    specific = [p for p in draft.parties if not p.actor.key.startswith("aggregate:")]
    if draft.type in ("conference", "briefing", "visit") or draft.mechanism:
        return None
    if not specific:
        return "no named counterpart"
    return None


def _precision(draft: Draft) -> int:
    return len(draft.date.isoformat()) if draft.date else 0


def _key(draft: Draft) -> tuple[str, frozenset[str]]:
    names = frozenset(p.actor.name for p in draft.parties if p.actor.country != "CHN")
    return draft.type, names


def _roots(draft: Draft, registry: Registry) -> frozenset[str]:
    """Return the parties of a draft, each organ counted as its party."""
    keys = set()
    for party in draft.parties:
        actor = party.actor
        while actor.parent and actor.parent in registry.actors:
            actor = registry.actors[actor.parent]
        keys.add(actor.key)
    return frozenset(keys)


# Words by which a text says that a second meeting of the same sides is another occurrence.
_ANOTHER = re.compile(r"\b(?:second|another|separate|separately|again|further)\b", re.IGNORECASE)


def _same_meeting(draft: Draft, other: Draft, registry: Registry) -> bool:
    """Whether two nearby meetings with the same sides and day are one meeting told twice."""
    if draft.type != "meeting" or other.type != "meeting":
        return False
    if abs(draft.sentence - other.sentence) > 6 or not (draft.date and other.date):
        return False
    if draft.date != other.date or draft.date.day is None:
        return False
    mine, theirs = _roots(draft, registry), _roots(other, registry)
    return bool(mine & theirs) and (mine <= theirs or theirs <= mine)


def _dedupe(
    drafts: list[Draft], trail: list[dict[str, Any]], registry: Registry, text: str
) -> list[Draft]:
    """Keep one event per occurrence mentioned twice; the more precisely dated mention wins."""
    kept: list[Draft] = []
    for draft in drafts:
        twin = None
        for other in kept:
            if other.sentence == draft.sentence:
                continue
            same_mechanism = (
                draft.mechanism and other.mechanism and draft.mechanism == other.mechanism
            )
            same_parties = bool(
                _key(draft) == _key(other)
                and _key(draft)[1]
                and draft.type in ("visit", "agreement")
            )
            if draft.type == other.type and draft.type in ("agreement", "assistance", "visit"):
                near = abs(draft.sentence - other.sentence) <= 2
                same_parties = same_parties or (near and bool(_key(draft)[1] & _key(other)[1]))
            told_apart = _ANOTHER.search(text, draft.start, draft.end)
            if not told_apart and _same_meeting(draft, other, registry):
                same_parties = True
            if (same_mechanism or same_parties) and _compatible(draft.date, other.date):
                twin = other
                break
        if twin is None:
            kept.append(draft)
            continue
        if _precision(draft) > _precision(twin):
            kept[kept.index(twin)] = draft
        trail.append(
            {
                "trigger": draft.type,
                "sentence": text[draft.start : draft.end],
                "start": draft.start,
                "end": draft.end,
                "reason": "the same occurrence mentioned twice",
            }
        )
    return kept


def _near(value: PartialDate | None, reference: date | None) -> bool:
    """Whether an event took place within the days before the story was filed."""
    if value is None or value.day is None or reference is None:
        return value is not None and reference is None
    return timedelta(0) <= reference - value.first_day <= timedelta(days=_NEAR_DAYS)


def _compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    if a is None or b is None:
        return True
    x, y = a.isoformat(), b.isoformat()
    n = min(len(x), len(y))
    return x[:n] == y[:n]


@Language.factory(
    "liaison_events_v1",
    requires=[
        "doc._.lx_sentences",
        "doc._.lx_dates",
        "doc._.lx_actors",
        "doc._.lx_people",
        "doc._.lx_mechanisms",
        "doc._.lx_triggers",
    ],
    assigns=["doc._.lx_events", "doc._.lx_trail"],
)
def make_events(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Build the event assembler."""
    ensure_extensions()
    return EventAssembler()
