"""Counterparts: registry names and abbreviations, parties found by shape, countries, cities."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from liaison.domain.enums import ActorKind


def _actors(doc: Doc) -> dict[str, tuple[str, str | None, str]]:
    return {m.text: (str(m.actor.kind), m.actor.country, m.rule) for m in doc._.lx_actors}


def test_actors_resolve_registry_abbreviation(run: Callable[..., Doc]) -> None:
    found = _actors(run("Officials of the IDCPC spoke with the SACP."))
    assert found["IDCPC"][:2] == (ActorKind.PARTY_ORGAN, "CHN")
    assert found["SACP"][:2] == (ActorKind.PARTY, "ZAF")


def test_actors_find_unknown_party_by_shape_with_country(run: Callable[..., Doc]) -> None:
    found = _actors(run("Envoys met the Highland Farmers Renewal Party of Malawi in Lilongwe."))
    assert found["Highland Farmers Renewal Party"] == (ActorKind.PARTY, "MWI", "party shape")


def test_actors_infer_country_from_possessive(run: Callable[..., Doc]) -> None:
    found = _actors(run("They hosted Kenya's Coastal Unity Movement on Monday."))
    assert found["Coastal Unity Movement"][1] == "KEN"


def test_actors_find_local_party_committee(run: Callable[..., Doc]) -> None:
    found = _actors(run("The CPC Gansu Provincial Committee received the guests."))
    assert found["CPC Gansu Provincial Committee"][:2] == (ActorKind.PARTY_ORGAN, "CHN")


def test_actors_find_aggregates(run: Callable[..., Doc]) -> None:
    doc = run("The talks gathered political parties from 12 African countries.")
    assert any(
        m.actor.key.startswith("aggregate:") and m.actor.country is None for m in doc._.lx_actors
    )


def test_actors_mark_countries_and_cities(run: Callable[..., Doc]) -> None:
    doc = run("The Zambian envoy flew from Hanoi to Chile.")
    assert {(c.iso3, c.adjective) for c in doc._.lx_countries} == {("ZMB", True), ("CHL", False)}
    assert [(p.city, p.country) for p in doc._.lx_places] == [("Hanoi", "VNM")]
