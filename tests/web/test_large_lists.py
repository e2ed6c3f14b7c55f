"""What keeps large lists fast: facets over a sample (said so), pages without a count, capped
API counts, search tested row by row or through the index with the same answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from liaison.domain.enums import ExchangeType, UserRole
from liaison.ledger.models import Exchange
from liaison.web.api.exchanges import ExchangePage
from liaison.web.listing import OpenPaginator
from liaison.web.templatetags.liaison import page_of
from liaison.web.views.exchanges import search_exchanges
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import Ledger, body
from tests.web.test_api import Api

pytestmark = pytest.mark.django_db


def _talks(number: int, kind: ExchangeType = ExchangeType.VISIT) -> list[Exchange]:
    return [
        make_exchange(
            when=f"2020-01-{day + 1:02d}", type=kind, summary="Seminar on rural electrification"
        )
        for day in range(number)
    ]


def test_facets_over_a_sample_say_so_and_offer_the_full_count(
    logged_in: Client, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison.web.views.exchanges.FACET_SAMPLE", 3)
    _talks(4)
    _talks(1, ExchangeType.CALL)  # the oldest: outside the newest three
    sampled = body(logged_in.get("/exchanges/?q=electrification"))
    assert "<strong>more than 3</strong>" in sampled
    assert "Counts of the newest 3 only" in sampled
    assert '<span class="facet-label">visit</span><span class="facet-count">3</span>' in sampled
    assert 'facet-label">call<' not in sampled
    assert "?q=electrification&amp;count=all" in sampled
    full = body(logged_in.get("/exchanges/?q=electrification&count=all"))
    assert "<strong>5</strong>" in full and "Counts of the newest" not in full
    assert '<span class="facet-label">visit</span><span class="facet-count">4</span>' in full
    assert '<span class="facet-label">call</span><span class="facet-count">1</span>' in full


def test_a_list_within_the_sample_is_counted_exactly(
    logged_in: Client, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison.web.views.exchanges.FACET_SAMPLE", 3)
    _talks(3)
    page = body(logged_in.get("/exchanges/?q=electrification"))
    assert "<strong>3</strong>" in page and "Counts of the newest" not in page
    assert '<span class="facet-label">visit</span><span class="facet-count">3</span>' in page


def test_the_first_page_and_later_pages_show_the_same_order(
    logged_in: Client, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison.web.views.exchanges.FACET_SAMPLE", 2)
    talks = _talks(4)
    first = body(logged_in.get("/exchanges/?q=electrification"))
    newest = f'href="/exchanges/{talks[-1].pk}/"'
    oldest = f'href="/exchanges/{talks[0].pk}/"'
    assert first.index(newest) < first.index(oldest)
    by_date = body(logged_in.get("/exchanges/?q=electrification&sort=date"))
    assert by_date.index(oldest) < by_date.index(newest)


def test_pages_without_a_count_read_one_row_ahead(ledger: Ledger) -> None:
    _talks(5)
    rows = Exchange.objects.filter(summary__contains="electrification").order_by("date")
    first = OpenPaginator(rows, 2, at_least=3).get_page(1)
    assert len(first.object_list) == 2 and first.has_next()
    assert first.paginator.capped and first.paginator.cap_label == "3"
    last = OpenPaginator(rows, 2, at_least=3).get_page(3)
    assert len(last.object_list) == 1 and not last.has_next() and last.has_previous()
    past = OpenPaginator(rows, 2, at_least=3).get_page(9)  # past the end: the last page
    assert past.number == 3 and len(past.object_list) == 1
    assert OpenPaginator(rows, 2, at_least=3).get_page("x").number == 1


@pytest.mark.parametrize(
    "q",
    ["electrification", "ANC", "Mbalula", "Pretoria", "Communist", "zz", '"rural electrification"'],
)
def test_search_row_by_row_finds_what_the_index_finds(ledger: Ledger, q: str) -> None:
    _talks(2)
    make_exchange(make_actor("Zanzibar Communist League"), make_actor(), summary="A call")
    everything = Exchange.objects.all()
    by_row = set(search_exchanges(everything, q, rowwise=True).values_list("pk", flat=True))
    by_set = set(search_exchanges(everything, q, rowwise=False).values_list("pk", flat=True))
    narrowed = search_exchanges(everything, q, narrowed=True, rowwise=False)
    assert by_row == by_set == set(narrowed.values_list("pk", flat=True))
    assert by_row or q == "zz"


def test_the_api_count_stops_at_the_cap_and_says_so(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison.web.api.common.COUNT_CAP", 1)
    api = Api(_admin())
    capped = api.json("/exchanges/", limit=1)
    assert capped["count"] == 1 and capped["count_capped"] is True
    assert capped["next"] == "/api/exchanges/?limit=1&offset=1"
    whole = api.json("/exchanges/", limit=5)  # an admin sees all three, the internal one too
    assert len(whole["items"]) == 3 and whole["next"] is None and whole["count_capped"]
    uncapped = api.json("/exchanges/", type="call")
    assert uncapped["count"] == 1 and uncapped["count_capped"] is False


def test_listed_exchanges_are_what_the_schema_and_the_detail_say(ledger: Ledger) -> None:
    api = Api(_admin())
    listed = api.json("/exchanges/")
    ExchangePage.model_validate(listed)  # the schema the OpenAPI description gives
    for item in listed["items"]:
        detail = api.json(f"/exchanges/{item['id']}")
        detail.pop("evidence")
        assert item == detail


def test_record_paths_are_the_reversed_urls() -> None:
    assert page_of(12, "exchange_detail") == reverse("exchange_detail", args=[12])
    assert page_of("ZAF", "country_detail") == reverse("country_detail", args=["ZAF"])


def _admin() -> Any:
    return make_user("api-admin", UserRole.ADMIN)
