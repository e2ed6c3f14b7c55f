"""The exchange list writes its rows from the ledger's columns: the same HTML as the row tag."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from liaison.domain.enums import ExchangeType, ReviewStatus, UserRole, Visibility
from liaison.ledger.models import Exchange
from liaison.web.templatetags.liaison import exchange_cells
from liaison.web.views.exchanges import list_rows, written_rows
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import SECRET, Ledger

pytestmark = pytest.mark.django_db


def tag_rows(ids: list[int]) -> str:
    """Return what the exchange_cells tag writes for these exchanges, in this order."""
    exchanges = {e.pk: e for e in list_rows(Exchange.objects.filter(pk__in=ids))}
    return str(exchange_cells([exchanges[pk] for pk in ids]))


@pytest.fixture
def odd_ones(ledger: Ledger) -> list[int]:
    """Exchanges that try every branch of a row: badges, places, dates, long or odd text."""
    marks = make_actor('Workers & "Peasants" <Union>', country=None)
    made = [
        make_exchange(
            marks,
            ledger.anc,
            ledger.cpv,
            when="2021",
            summary="Cafe\u0301 talks & <b>bold</b> words, " + "very long " * 30,
            city="Dar es Salaam",
            review_status=ReviewStatus.PROPOSED,
        ),
        make_exchange(
            ledger.swapo,
            when="2020-02",
            end_date=datetime.date(2020, 3, 4),
            type=ExchangeType.CONFERENCE,
            country="NAM",
            review_status=ReviewStatus.REJECTED,
            visibility=Visibility.INTERNAL,
            unit=ledger.asia,
        ),
        make_exchange(
            ledger.lprp,
            when="2019-07-08",
            end_date=datetime.date(2019, 7, 8),
            mechanism=ledger.mechanism,
            summary="x" * 180,
            city="Vientiane",
        ),
        make_exchange(ledger.cpv, when="2018-01-02", summary="y" * 181),
    ]
    return [e.pk for e in made] + [ledger.meeting.pk, ledger.call.pk, ledger.secret.pk]


def test_written_rows_are_the_tags_rows(odd_ones: list[int]) -> None:
    assert str(written_rows(odd_ones)) == tag_rows(odd_ones)


def test_written_rows_keep_the_order_given(odd_ones: list[int]) -> None:
    backwards = odd_ones[::-1]
    assert str(written_rows(backwards)) == tag_rows(backwards)


def test_no_rows_are_written_as_the_tag_writes_none() -> None:
    assert str(written_rows([])) == str(exchange_cells([]))


def test_the_list_page_shows_the_written_rows(logged_in: Client, ledger: Ledger) -> None:
    page = logged_in.get("/exchanges/").content.decode()
    shown = list(
        Exchange.objects.filter(visibility=Visibility.PUBLIC)
        .order_by("-date", "-id")
        .values_list("pk", flat=True)
    )
    assert tag_rows(shown) in page
    assert "SWAPO Party" in page


def test_every_page_of_a_search_shows_its_own_rows(logged_in: Client, ledger: Ledger) -> None:
    made = [make_exchange(summary=f"Seminar number {n}", when="2010-01-01") for n in range(55)]
    newest_first = sorted(made, key=lambda e: e.pk, reverse=True)  # same date: by id
    first = logged_in.get("/exchanges/?q=seminar").content.decode()
    second = logged_in.get("/exchanges/?q=seminar&page=2").content.decode()
    assert tag_rows([e.pk for e in newest_first[:50]]) in first
    assert tag_rows([e.pk for e in newest_first[50:]]) in second
    oldest = logged_in.get("/exchanges/?q=seminar&sort=date").content.decode()
    assert tag_rows([e.pk for e in newest_first[::-1][:50]]) in oldest


def test_pages_within_the_sample_are_read_from_it_in_the_exact_order(
    logged_in: Client, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison.web.views.exchanges.FACET_SAMPLE", 110)
    made = [
        make_exchange(summary="Seminar", when=f"2011-{1 + n % 12:02d}-{1 + n % 28:02d}")
        for n in range(130)
    ]
    exact = list(
        Exchange.objects.filter(pk__in=[e.pk for e in made])
        .order_by("-date", "-id")
        .values_list("pk", flat=True)
    )
    for number in (1, 2, 3):  # within the sample, within it but for the row ahead, past it
        for _ in range(2):  # asked twice: the same rows
            page = logged_in.get(f"/exchanges/?q=seminar&page={number}").content.decode()
            assert tag_rows(exact[(number - 1) * 50 : number * 50]) in page
            assert "<strong>more than 110</strong>" in page


def test_a_sample_is_not_shown_to_a_reader_of_another_scope(client: Client, ledger: Ledger) -> None:
    insider = make_user("asia_reader", UserRole.VIEWER, ledger.asia)
    outsider = make_user("africa_reader", UserRole.VIEWER, ledger.africa)
    client.force_login(insider)
    assert SECRET in client.get("/exchanges/?q=cadre").content.decode()
    client.force_login(outsider)
    assert SECRET not in client.get("/exchanges/?q=cadre").content.decode()
