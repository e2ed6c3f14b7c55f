"""The text index behind the exchange search: it finds what LIKE '%term%' found, and keeps up."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client

from liaison.domain.enums import ExchangeType
from liaison.ledger import actions
from liaison.ledger.models import Exchange
from liaison.ledger.review import exchange_input
from liaison.web.views.exchanges import search_exchanges
from tests.factories import make_actor, make_exchange
from tests.web.conftest import Ledger

pytestmark = pytest.mark.django_db


def found(q: str, narrowed: bool = False) -> set[int]:
    """Return the ids of the exchanges a search finds, tested as a set or row by row."""
    exchanges = search_exchanges(Exchange.objects.all(), q, narrowed)
    return set(exchanges.values_list("pk", flat=True))


@pytest.fixture
def talks(ledger: Ledger) -> Exchange:
    return make_exchange(
        summary="Seminar on rural electrification",
        outcomes="A memorandum on grain storage",
        topics=("water management",),
        city="Luang Prabang",
    )


@pytest.mark.parametrize("narrowed", [False, True])
@pytest.mark.parametrize(
    "q",
    [
        "electrification",  # summary
        "memorandum",  # outcomes
        "water",  # topics
        "Prabang",  # city
        "ELECTRIF",  # case aside, part of a word
        "trific",  # inside a word
        '"grain storage"',  # a phrase
        "rural grain",  # two words in different fields
        "on",  # shorter than a trigram
    ],
)
def test_search_finds_words_in_every_searched_field(
    talks: Exchange, q: str, narrowed: bool
) -> None:
    make_exchange(summary="Talks on something else entirely", city="Hanoi")
    assert talks.pk in found(q, narrowed)


@pytest.mark.parametrize("narrowed", [False, True])
@pytest.mark.parametrize("q", ["hydropower", '"storage grain"', "electrification Hanoi", "50%"])
def test_search_leaves_out_what_does_not_match(talks: Exchange, q: str, narrowed: bool) -> None:
    assert found(q, narrowed) == set()


def test_a_percent_sign_or_quote_is_searched_as_written() -> None:
    odd = make_exchange(summary='A 50% rise in "party-to-party" visits')
    assert found("50%") == {odd.pk}
    assert found('party-to-party"') == {odd.pk}
    assert found("5_%") == set()


def test_a_new_exchange_is_found_as_soon_as_it_is_recorded(talks: Exchange) -> None:
    assert found("desalination") == set()
    new = make_exchange(summary="Study tour on desalination")
    assert found("desalination") == {new.pk}
    assert found("desalination", narrowed=True) == {new.pk}


def test_a_changed_exchange_is_found_by_its_new_words_only(talks: Exchange) -> None:
    changed = dataclasses.replace(exchange_input(talks), summary="Workshop on solar power")
    assert actions.update_exchange(talks, changed)
    assert found("solar") == {talks.pk}
    assert found("electrification") == set()
    assert found("memorandum") == {talks.pk}  # the fields left alone are still found


def test_a_deleted_exchange_is_found_no_more(talks: Exchange) -> None:
    actions.delete_exchange(talks)
    assert found("electrification") == set()
    assert found("Prabang", narrowed=True) == set()


def test_search_finds_exchanges_by_a_counterpart_name(talks: Exchange) -> None:
    party = make_actor(name="Zanzibar Revolutionary Union")
    theirs = make_exchange(party, make_actor(), summary="A call")
    assert found("Zanzibar") == {theirs.pk}
    assert found("zanzibar revolutionary", narrowed=True) == {theirs.pk}


def test_the_list_page_searches_with_a_filter(logged_in: Client) -> None:
    visit = make_exchange(summary="Seminar on rural electrification", type=ExchangeType.VISIT)
    call = make_exchange(summary="Seminar on rural electrification", type=ExchangeType.CALL)
    response = logged_in.get("/exchanges/?q=electrification&type=visit")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/exchanges/{visit.pk}/"' in page
    assert f'href="/exchanges/{call.pk}/"' not in page


def test_facet_counts_follow_a_change_of_the_ledger(logged_in: Client, ledger: Ledger) -> None:
    make_exchange(summary="Seminar on rural electrification", type=ExchangeType.VISIT)
    first = logged_in.get("/exchanges/?q=electrification").content.decode()
    assert "<strong>1</strong>" in first
    make_exchange(summary="Seminar on rural electrification", type=ExchangeType.VISIT)
    again = logged_in.get("/exchanges/?q=electrification").content.decode()
    assert "<strong>2</strong>" in again


@pytest.mark.parametrize("kept_whole", [True, False])
def test_facet_labels_follow_a_renamed_country(
    logged_in: Client, ledger: Ledger, monkeypatch: pytest.MonkeyPatch, kept_whole: bool
) -> None:
    if not kept_whole:  # a related table too large to keep: its labels are read per page
        monkeypatch.setattr("liaison.web.listing.KEPT_LABELS", 1)
    make_exchange(summary="Seminar on rural electrification", country="VNM")
    before = logged_in.get("/exchanges/?q=electrification").content.decode()
    assert '<span class="facet-label">Viet Nam</span>' in before
    actions.upsert_country({"iso3": "VNM", "name": "Vietnam"})
    after = logged_in.get("/exchanges/?q=electrification").content.decode()
    assert '<span class="facet-label">Vietnam</span>' in after
    assert "Viet Nam" not in after
