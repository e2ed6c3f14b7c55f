"""The page of a counterpart in more exchanges than the page reads in full (actors.RECENT): its
neighbours and sources come from the exchanges recorded last, and the page says so; its count
is exact when the reader sees everything or it is in actors.COUNTED exchanges or fewer,
otherwise a floor, and its timeline stays whole."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from liaison.domain.enums import UserRole, Visibility
from liaison.ledger.models import Exchange
from liaison.web.views import actors
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import Ledger, body

pytestmark = pytest.mark.django_db

RECENT_NOTE = "Counted over the 2 exchanges recorded last only."
SOURCES_NOTE = "From the 2 exchanges recorded last only."


@pytest.fixture
def busy(monkeypatch: pytest.MonkeyPatch) -> Any:
    """An actor in three exchanges, of which the page reads the two recorded last in full.

    The one recorded first is the newest by date: the timeline shows it first all the same.
    """
    monkeypatch.setattr(actors, "RECENT", 2)
    monkeypatch.setattr(actors, "COUNTED", 2)
    actor = make_actor("Busy Party")
    make_exchange(actor, make_actor("Early Friend"), when="2024-03-01", summary="Newest talks")
    make_exchange(actor, make_actor("Later Friend"), when="2020-01-01", summary="Older talks")
    make_exchange(actor, make_actor("Last Friend"), when="2019-01-01", summary="Oldest talks")
    return actor


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_neighbours_come_from_the_exchanges_recorded_last(ledger: Ledger, busy: Any) -> None:
    reader = make_user("central_viewer", UserRole.VIEWER, ledger.central)
    met = [row["actor__name"] for row in actors.neighbours(reader, busy)[0]]
    assert met == ["Last Friend", "Later Friend"]
    page = actors._kept_page(reader, busy)
    assert page["partial"] and page["last"] == datetime.date(2024, 3, 1)


def test_the_page_says_what_it_counted_and_keeps_the_whole_timeline(
    ledger: Ledger, busy: Any
) -> None:
    reader = make_user("central_viewer", UserRole.VIEWER, ledger.central)
    page = body(_client(reader).get(f"/actors/{busy.pk}/"))
    assert RECENT_NOTE in page and SOURCES_NOTE in page
    # The central unit sees every exchange: the count is read from the index, exact.
    assert '<span class="value">3</span><span class="what">exchanges</span>' in page
    assert page.index("Newest talks") < page.index("Older talks") < page.index("Oldest talks")
    assert "Early Friend" not in page.split("Met with")[1]


def test_a_reader_who_sees_less_gets_a_floor_and_open_pages(
    ledger: Ledger, busy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actors, "TIMELINE_PER_PAGE", 1)
    reader = _client(make_user("africa_reader", UserRole.VIEWER, ledger.africa))
    first = body(reader.get(f"/actors/{busy.pk}/"))
    assert '<span class="value">2+</span><span class="what">exchanges (not all counted)' in first
    assert "Newest talks" in first and "Older talks" not in first
    assert 'href="?page=2"' in first
    second = body(reader.get(f"/actors/{busy.pk}/?page=2"))
    assert "Older talks" in second and 'href="?page=3"' in second
    assert "Oldest talks" in body(reader.get(f"/actors/{busy.pk}/?page=3"))


def test_the_floor_never_counts_what_the_reader_may_not_see(
    ledger: Ledger, busy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actors, "TIMELINE_PER_PAGE", 1)
    make_exchange(
        busy, make_actor("Secret Friend"), unit=ledger.asia, visibility=Visibility.INTERNAL
    )
    outsider = make_user("africa_reader", UserRole.VIEWER, ledger.africa)
    insider = make_user("asia_reader", UserRole.VIEWER, ledger.asia)
    assert actors._kept_page(outsider, busy)["seen"] == 2
    assert actors._kept_page(insider, busy)["seen"] == 2
    assert [n["actor__name"] for n in actors.neighbours(outsider, busy)[0]] == ["Last Friend"]
    assert "Secret Friend" in [n["actor__name"] for n in actors.neighbours(insider, busy)[0]]


def test_a_reader_sees_an_exact_count_when_the_first_page_holds_everything(
    ledger: Ledger, busy: Any
) -> None:
    page = actors._kept_page(make_user("africa_reader", UserRole.VIEWER, ledger.africa), busy)
    assert page["count"] == 3 and page["partial"]


def test_an_actor_within_the_limit_shows_no_note(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get(f"/actors/{ledger.cpv.pk}/"))
    assert "recorded last only" not in page and "not all counted" not in page


def test_an_actor_whose_walk_fills_no_page_is_read_by_its_index(
    ledger: Ledger, busy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every actor is dense, but the walk reads one exchange only: the page is read the other way.
    monkeypatch.setattr(actors, "DENSE_SHARE", 10**9)
    monkeypatch.setattr(actors, "WALK", 1)
    reader = make_user("central_viewer", UserRole.VIEWER, ledger.central)
    newest = Exchange.objects.order_by("-id").values_list("id", flat=True)[0]
    rows, dense = actors.first_page(reader, busy, 3, newest)
    assert not dense
    assert [day for _, day in rows] == [
        datetime.date(2024, 3, 1),
        datetime.date(2020, 1, 1),
        datetime.date(2019, 1, 1),
    ]
    monkeypatch.setattr(actors, "WALK", 10**6)
    assert actors.first_page(reader, busy, 3, newest) == (rows, True)


def test_a_reader_who_sees_less_counts_exactly_up_to_the_limit(
    ledger: Ledger, busy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actors, "COUNTED", 3)
    monkeypatch.setattr(actors, "TIMELINE_PER_PAGE", 1)
    make_exchange(
        busy, make_actor("Secret Friend"), unit=ledger.asia, visibility=Visibility.INTERNAL
    )
    outsider = make_user("africa_reader", UserRole.VIEWER, ledger.africa)
    page = actors._kept_page(outsider, busy)
    assert page["partial"] and page["count"] is None  # four exchanges, three counted
    monkeypatch.setattr(actors, "COUNTED", 4)
    page = actors._kept_page(outsider, busy)
    assert page["partial"] and page["count"] == 3  # the internal one is not the reader's


def test_the_figure_counts_every_counterpart_met_not_only_those_listed(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actors, "NEIGHBOURS", 2)
    actor = make_actor("Friendly Party")
    for name in ("One Party", "Two Party", "Three Party"):
        make_exchange(actor, make_actor(name))
    reader = make_user("central_viewer", UserRole.VIEWER, ledger.central)
    listed, met = actors.neighbours(reader, actor)
    assert len(listed) == 2 and met == 3
    page = body(_client(reader).get(f"/actors/{actor.pk}/"))
    assert '<span class="value">3</span><span class="what">counterparts met with it' in page


def test_a_busy_actor_says_its_counterparts_are_a_floor(ledger: Ledger, busy: Any) -> None:
    reader = make_user("central_viewer", UserRole.VIEWER, ledger.central)
    page = body(_client(reader).get(f"/actors/{busy.pk}/"))
    assert (
        '<span class="value">2+</span><span class="what">counterparts met with it'
        " (in its 2 exchanges recorded last)" in page
    )
