"""Merging two actors moves everything that points at one to the other, and undo is exact."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core import serializers

from liaison.domain.enums import ActorKind, GovernmentStatus, NameType, ParticipantRole
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions
from liaison.ledger.models import Actor, Participation
from tests.factories import make_actor, make_exchange

pytestmark = pytest.mark.django_db

HISTORY = {"AuditEntry", "ActorMerge", "ImportBatch", "ImportChange"}


def ledger_state() -> dict[str, Any]:
    """Every row of every ledger table but the history tables, as plain data."""
    state = {}
    for model in apps.get_app_config("ledger").get_models():
        if model.__name__ not in HISTORY:
            rows = model._default_manager.order_by("pk")
            state[model.__name__] = serializers.serialize("python", rows)
    return state


@pytest.fixture
def pair() -> tuple[Actor, Actor]:
    keep = make_actor("Workers' Party", country="BRA", aliases=("PT",))
    absorbed = make_actor("Partido dos Trabalhadores", country="BRA")
    actions.add_actor_status(absorbed, actions.StatusInput(GovernmentStatus.RULING))
    actions.add_external_id(absorbed, "wikidata", "Q212948")
    actions.add_actor_name(absorbed, actions.NameInput("PT-BR", NameType.ABBREVIATION))
    organ = actions.create_actor(
        actions.ActorInput(
            name="PT international secretariat",
            kind=ActorKind.PARTY_ORGAN,
            country="BRA",
            parent=absorbed,
        )
    )
    other = make_actor("Communist Party of China", country="CHN")
    make_exchange(other, absorbed)
    make_exchange(other, keep, absorbed, when="2023-04-02")  # both in one exchange
    make_exchange(absorbed, keep, when="2022-01-10")  # absorbed host, keep guest
    make_exchange(organ, other, when="2021-03-05")
    return keep, absorbed


def test_merge_moves_everything_to_kept_actor(pair: tuple[Actor, Actor]) -> None:
    keep, absorbed = pair
    actions.merge_actors(keep, absorbed)
    assert not Participation.objects.filter(actor=absorbed).exists()
    assert keep.external_ids.filter(value="Q212948").exists()
    assert keep.statuses.count() == 1
    assert keep.children.get().name == "PT international secretariat"
    assert keep.names.filter(name="Partido dos Trabalhadores").exists()
    absorbed.refresh_from_db()
    assert absorbed.merged_into == keep


def test_merge_drops_participation_that_would_repeat(pair: tuple[Actor, Actor]) -> None:
    keep, absorbed = pair
    actions.merge_actors(keep, absorbed)
    for exchange_id in Participation.objects.values_list("exchange", flat=True).distinct():
        roles = list(
            Participation.objects.filter(exchange_id=exchange_id, actor=keep).values_list(
                "role", flat=True
            )
        )
        assert len(roles) == len(set(roles))


def test_undo_merge_restores_exact_state(pair: tuple[Actor, Actor]) -> None:
    keep, absorbed = pair
    before = ledger_state()
    merge = actions.merge_actors(keep, absorbed)
    assert ledger_state() != before
    actions.undo_merge(merge)
    assert ledger_state() == before


def test_undo_merge_twice_is_refused(pair: tuple[Actor, Actor]) -> None:
    merge = actions.merge_actors(*pair)
    actions.undo_merge(merge)
    with pytest.raises(LiaisonError, match="already undone"):
        actions.undo_merge(merge)


def test_merge_into_itself_is_refused() -> None:
    actor = make_actor()
    with pytest.raises(LiaisonError, match="itself"):
        actions.merge_actors(actor, actor)


def test_chained_merges_undo_in_reverse_order_only() -> None:
    a, b, c = make_actor(), make_actor(), make_actor()
    make_exchange(b, c)
    before = ledger_state()
    first = actions.merge_actors(b, c)
    second = actions.merge_actors(a, b)
    with pytest.raises(LiaisonError, match="undo merge"):
        actions.undo_merge(first)
    actions.undo_merge(second)
    actions.undo_merge(first)
    assert ledger_state() == before


def test_merge_keeps_roles_of_both(pair: tuple[Actor, Actor]) -> None:
    keep, absorbed = pair
    actions.merge_actors(keep, absorbed)
    roles = set(Participation.objects.filter(actor=keep).values_list("role", flat=True))
    assert {ParticipantRole.HOST, ParticipantRole.GUEST} <= roles
