"""Resolve the names an extracted event gives to registry actors and mechanisms."""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz, process

from liaison.domain.enums import ActorKind, ReviewStatus
from liaison.domain.events import ParticipantMention
from liaison.ledger import actions
from liaison.ledger.actions import Author
from liaison.ledger.models import Actor, ActorName, Country, ImportBatch, Mechanism
from liaison.ledger.models.fields import normalize_name

# token_sort_ratio at or above this, with the same country and kind, is the same actor.
FUZZY_CUTOFF = 92.0


class ActorResolver:
    """Names to actors: exact name or alias, then fuzzy within a country and kind, else new."""

    def __init__(self, author: Author) -> None:
        self.author = author
        self.countries = set(Country.objects.values_list("iso3", flat=True))
        self.kind: dict[int, str] = {}
        self.rows: dict[int, Actor] = {}
        self.parent: dict[int, int] = dict(
            Actor.objects.exclude(parent=None).values_list("id", "parent_id")
        )
        self.country: dict[int, str | None] = {}
        self.exact: dict[str, set[int]] = defaultdict(set)
        # (country, kind) → normalized name → actor id, for fuzzy matching within the pair.
        self.by_pair: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        live = Actor.objects.filter(merged_into=None).exclude(review_status=ReviewStatus.REJECTED)
        for pk, name, kind, country in live.values_list("id", "name", "kind", "country_id"):
            self._remember(pk, name, kind, country)
        names = ActorName.objects.filter(actor__in=live)
        for pk, name in names.values_list("actor_id", "name"):
            self._remember(pk, name, self.kind[pk], self.country[pk])
        # A reviewer rejected these: a later mention must not propose them again.
        rejected = Actor.objects.filter(review_status=ReviewStatus.REJECTED, merged_into=None)
        self.rejected = {normalize_name(name) for name in rejected.values_list("name", flat=True)}

    def _remember(self, pk: int, name: str, kind: str, country: str | None) -> None:
        self.kind[pk], self.country[pk] = kind, country
        normalized = normalize_name(name)
        self.exact[normalized].add(pk)
        if country:
            self.by_pair[(country, kind)].setdefault(normalized, pk)

    def actor(self, pk: int) -> Actor:
        """Return an actor row, loading each once per run."""
        if pk not in self.rows:
            self.rows[pk] = Actor.objects.get(pk=pk)
        return self.rows[pk]

    def root(self, pk: int) -> int:
        """Return the party an organ belongs to (an organ's meeting is its party's meeting)."""
        seen = {pk}
        while pk in self.parent and self.parent[pk] not in seen:
            pk = self.parent[pk]
            seen.add(pk)
        return pk

    def members(self, roots: set[int]) -> set[int]:
        """Return the organs that belong to these parties."""
        return {pk for pk in self.parent if self.root(pk) in roots}

    def _agrees(self, pk: int, mention: ParticipantMention) -> bool:
        country = self.country[pk]
        return not (mention.country and country and country != mention.country)

    def find(self, mention: ParticipantMention) -> int | None:
        """Return the id of the actor a mention names, or None when no actor agrees."""
        normalized = normalize_name(mention.name)
        found = sorted(pk for pk in self.exact.get(normalized, ()) if self._agrees(pk, mention))
        same_kind = [pk for pk in found if self.kind[pk] == str(mention.kind)]
        if same_kind or found:
            return (same_kind or found)[0]
        if not mention.country:
            return None
        pair = self.by_pair.get((mention.country, str(mention.kind)), {})
        best = process.extractOne(
            normalized, list(pair), scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF
        )
        return pair[best[0]] if best else None

    def resolve(
        self, mention: ParticipantMention, batch: ImportBatch | None
    ) -> tuple[int | None, bool]:
        """Return the actor id for a mention (None if rejected) and whether it was proposed now."""
        found = self.find(mention)
        if found is not None:
            return found, False
        if normalize_name(mention.name) in self.rejected:
            return None, False
        country = mention.country if mention.country in self.countries else None
        actor = actions.create_actor(
            actions.ActorInput(
                name=mention.name,
                kind=ActorKind(mention.kind),
                country=country,
                review_status=ReviewStatus.PROPOSED,
                description="Found by ingest; not in the registry yet.",
            ),
            self.author,
            batch,
        )
        self._remember(actor.pk, actor.name, actor.kind, country)
        self.rows[actor.pk] = actor
        return actor.pk, True


def is_actor_name(name: str) -> bool:
    """Tell a name ("Workers' Party") from a description ("parties from 20 countries")."""
    first = name.strip()[:1]
    return first.isupper() or first.isdigit()


class MechanismResolver:
    """Mechanism names and aliases to mechanisms."""

    def __init__(self) -> None:
        self.by_name: dict[str, Mechanism] = {}
        for mechanism in Mechanism.objects.all():
            for text in [mechanism.name, *(mechanism.aliases or [])]:
                self.by_name.setdefault(normalize_name(text), mechanism)

    def find(self, name: str | None) -> Mechanism | None:
        """Return the mechanism a name means, if the registry knows it."""
        return self.by_name.get(normalize_name(name)) if name else None
