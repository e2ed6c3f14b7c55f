"""A search finds exchanges by their counterparts' names, whichever way the names are tested."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from liaison.ledger.models import Exchange
from liaison.web.listing import url_with
from liaison.web.views.exchanges import search_exchanges
from tests.factories import make_actor, make_exchange
from tests.web.conftest import Ledger

pytestmark = pytest.mark.django_db

# (NAMED_SET, NAMED_LIST, NAMED_ACTORS): the exchanges of few bearers read as one set; those of
# many tested row by row against the bearers' ids (a list, or on PostgreSQL an array); past
# NAMED_LIST (SQLite) or NAMED_ACTORS (both), by the participants' names themselves.
# NAMED_SET_ACTORS: past this many bearers, their exchanges are never read as one set.
WAYS = {
    "set": (20_000, 200, 5_000, 2_000),
    "ids": (0, 200, 5_000, 2_000),
    "names or array": (0, 1, 5_000, 2_000),
    "many bearers": (20_000, 1, 5_000, 1),
    "names": (0, 1, 1, 2_000),
}


@pytest.fixture(params=list(WAYS))
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    named_set, named_list, named_actors, set_actors = WAYS[request.param]
    monkeypatch.setattr("liaison.web.views.exchanges.NAMED_SET", named_set)
    monkeypatch.setattr("liaison.web.views.exchanges.NAMED_LIST", named_list)
    monkeypatch.setattr("liaison.web.views.exchanges.NAMED_ACTORS", named_actors)
    monkeypatch.setattr("liaison.web.views.exchanges.NAMED_SET_ACTORS", set_actors)
    return str(request.param)


def found(q: str, narrowed: bool = False) -> set[int]:
    """Return the ids of the exchanges a search finds."""
    return set(search_exchanges(Exchange.objects.all(), q, narrowed).values_list("pk", flat=True))


def test_each_way_finds_the_bearers_exchanges_and_no_other(ledger: Ledger, way: str) -> None:
    labour = make_actor(name="Zanzibar Labour Front")
    other = make_actor(name="Zanzibar Labour Congress", aliases=("ZLC",))
    third = make_actor(name="Pemba Farmers")
    first = make_exchange(labour, third, summary="A call")
    second = make_exchange(other, summary="A visit")
    neither = make_exchange(third, summary="A meeting")
    assert found("Labour") == {first.pk, second.pk}
    assert found("labour", narrowed=True) == {first.pk, second.pk}
    assert found("ZLC") == {second.pk}
    assert neither.pk not in found("Zanzibar")


def test_each_way_combines_a_name_with_the_text(ledger: Ledger, way: str) -> None:
    named = make_exchange(make_actor(name="Zanzibar Labour Front"), summary="A call")
    written = make_exchange(summary="Talks with Labour officials")
    assert found("Labour") == {named.pk, written.pk}
    assert found("Zanzibar Labour") == {named.pk}


def test_the_list_page_finds_a_name_past_the_list_of_ids(
    logged_in: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison.web.views.exchanges.NAMED_SET", 0)
    monkeypatch.setattr("liaison.web.views.exchanges.NAMED_LIST", 1)
    theirs = make_exchange(make_actor(name="Zanzibar Labour Front"), summary="A call")
    make_exchange(make_actor(name="Zanzibar Labour Congress"), summary="A visit")
    page = logged_in.get("/exchanges/?q=Labour&type=meeting").content.decode()
    assert f'href="/exchanges/{theirs.pk}/"' in page
    assert "<strong>2</strong> exchanges matching" in page


def test_links_keep_every_parameter_encoded_and_change_only_theirs() -> None:
    request = RequestFactory().get(
        "/exchanges/", {"q": 'a "b" & c', "type": ["visit", "call"], "page": "3", "x": ""}
    )
    assert url_with(request) == "?q=a+%22b%22+%26+c&type=visit&type=call&x="
    assert url_with(request, page=4) == "?q=a+%22b%22+%26+c&type=visit&type=call&page=4&x="
    assert url_with(request, type="meeting", q=None) == "?type=meeting&x="
    assert (
        url_with(request, country="VNM") == "?q=a+%22b%22+%26+c&type=visit&type=call&x=&country=VNM"
    )
    assert url_with(RequestFactory().get("/exchanges/"), page=None) == "?"
