"""Reads of the ledger that more than one entry point needs."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from liaison.ledger.models import Actor, ActorName, Exchange
from liaison.ledger.models.fields import normalize_name


class ActorIndex:
    """Every name and alias of every live actor, for resolving names to actors."""

    def __init__(self) -> None:
        self._ids: dict[str, set[int]] = defaultdict(set)
        live = Actor.objects.filter(merged_into=None)
        for actor_id, name in live.values_list("id", "name"):
            self._ids[normalize_name(name)].add(actor_id)
        names = ActorName.objects.filter(actor__merged_into=None)
        for actor_id, normalized in names.values_list("actor_id", "normalized"):
            self._ids[normalized].add(actor_id)

    def candidates(self, name: str) -> set[int]:
        """Return the ids of every actor that has this name, alias or abbreviation."""
        return set(self._ids.get(normalize_name(name), ()))

    def add(self, actor: Actor) -> None:
        """Make a new actor findable by its canonical name."""
        self._ids[normalize_name(actor.name)].add(actor.pk)


def exchanges_with_details() -> QuerySet[Exchange]:
    """Return exchanges with what their pages and exports show, fetched in few queries."""
    return Exchange.objects.select_related(
        "country", "mechanism", "edition", "unit"
    ).prefetch_related("participations__actor", "attendances__person", "attendances__org")


def actors_with_details() -> QuerySet[Actor]:
    """Return live actors with their country and names."""
    return (
        Actor.objects.filter(merged_into=None)
        .select_related("country", "parent")
        .prefetch_related("names", "external_ids")
    )
