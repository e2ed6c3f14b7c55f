"""The lists: search, facets, sorting, pagination and CSV/JSON downloads."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client, RequestFactory

from liaison.ledger.export import EXCHANGE_COLUMNS
from liaison.web.listing import PER_PAGE, search_terms, url_with
from liaison.web.templatetags.liaison import highlight_span
from tests.factories import make_exchange
from tests.web.conftest import Ledger, body, json_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "kept", "dropped"),
    [
        ("/exchanges/?q=Pretoria", ["Pretoria"], ["SWAPO Party"]),
        ("/exchanges/?q=%22video+forum%22", ["SWAPO Party"], ["Pretoria"]),
        ("/exchanges/?q=Mbalula", ["Pretoria"], ["SWAPO Party"]),  # a person present
        ("/actors/?q=CPV", ["Communist Party of Vietnam"], ["SWAPO Party"]),  # an alias
        ("/actors/?q=swapo", ["SWAPO Party"], ["African National Congress"]),
        ("/mechanisms/?q=nothing+like+this", ["<strong>0</strong> mechanisms"], ["SCO Political"]),
        ("/mechanisms/?q=SCO+Forum", ["SCO Political Parties Forum"], ["No mechanisms."]),
        ("/countries/?q=viet", ["Viet Nam"], ["Namibia"]),
        ("/countries/?q=nam", ["Viet Nam", "Namibia"], ["South Africa"]),
        ("/sources/?q=Pretoria+News", ["ANC receives CPV delegation"], ["No sources."]),
        ("/sources/?q=nowhere", ["No sources."], ["ANC receives CPV delegation"]),
        ("/audit/?q=create_mechanism", ["create mechanism"], ["record exchange"]),
    ],
)
def test_search_narrows_the_list(
    logged_in: Client, ledger: Ledger, url: str, kept: list[str], dropped: list[str]
) -> None:
    response = logged_in.get(url)
    assert response.status_code == 200
    page = body(response)
    for text in kept:
        assert text in page
    for text in dropped:
        assert text not in page


@pytest.mark.parametrize(
    ("url", "kept", "dropped"),
    [
        ("/exchanges/?type=call", ["SWAPO Party"], ["Pretoria"]),
        ("/exchanges/?year=2024", ["Pretoria"], ["SWAPO Party"]),
        ("/exchanges/?country=ZAF", ["Pretoria"], ["SWAPO Party"]),
        ("/actors/?country=VNM", ["Communist Party of Vietnam"], ["SWAPO Party"]),
        ("/actors/?kind=party_organ", ["ANC International Relations Committee"], ["SWAPO"]),
        ("/countries/?region=Asia", ["Viet Nam", "Lao PDR"], ["Namibia"]),
        ("/countries/?group=BRICS", ["South Africa"], ["Namibia"]),
        ("/mechanisms/?scope=global", ["No mechanisms."], ["SCO Political Parties Forum"]),
        ("/sources/?outlet=Elsewhere", ["No sources."], ["ANC receives CPV delegation"]),
        ("/audit/?object_type=Country", ["create country"], ["create actor"]),
    ],
)
def test_a_facet_narrows_the_list(
    logged_in: Client, ledger: Ledger, url: str, kept: list[str], dropped: list[str]
) -> None:
    page = body(logged_in.get(url))
    for text in kept:
        assert text in page
    for text in dropped:
        assert text not in page


def test_facets_count_the_matching_rows_and_toggle(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/exchanges/?type=call"))
    # The chosen value links back to the list without it; the others narrow further.
    assert '<a href="?" title="Remove this filter"><span class="facet-label">call</span>' in page
    assert '<span class="facet-label">video</span><span class="facet-count">1</span>' in page
    assert "Type: call" in page


def test_exchanges_can_be_filtered_by_counterpart(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get(f"/exchanges/?actor={ledger.swapo.pk}"))
    assert "Counterpart: SWAPO Party" in page
    assert "<strong>1</strong> exchange matching" in page
    assert "Pretoria" not in page


def test_sort_orders_the_list_and_the_heading_reverses_it(
    logged_in: Client, ledger: Ledger
) -> None:
    newest_first = body(logged_in.get("/exchanges/"))
    assert newest_first.index("14 May 2024") < newest_first.index("Jun 2023")
    assert 'aria-sort="descending"><a href="?sort=date">Date ↓</a>' in newest_first
    oldest_first = body(logged_in.get("/exchanges/?sort=date"))
    assert oldest_first.index("Jun 2023") < oldest_first.index("14 May 2024")
    assert 'aria-sort="ascending"><a href="?sort=-date">Date ↑</a>' in oldest_first
    by_name = body(logged_in.get("/actors/?sort=-name"))
    assert by_name.index("SWAPO Party") < by_name.index("African National Congress")


def test_an_unknown_sort_falls_back_to_the_default(logged_in: Client, ledger: Ledger) -> None:
    response = logged_in.get("/actors/?sort=password")
    assert response.status_code == 200
    page = body(response)
    assert page.index("African National Congress") < page.index("SWAPO Party")


def test_pagination_shows_the_rest_on_page_two(logged_in: Client, ledger: Ledger) -> None:
    make_exchange(ledger.anc, ledger.swapo, when="2001-02-03", summary="The oldest exchange.")
    for day in range(1, PER_PAGE - 1):
        make_exchange(ledger.anc, ledger.swapo, when=f"2010-01-{1 + day % 28:02d}")
    first = body(logged_in.get("/exchanges/"))
    assert f"<strong>{PER_PAGE + 1}</strong> exchanges" in first
    assert "The oldest exchange." not in first
    assert '<a href="?page=2" rel="next">' in first
    assert first.count('<td class="col-date"><a href="/exchanges/') == PER_PAGE
    second = body(logged_in.get("/exchanges/?page=2"))
    assert "The oldest exchange." in second
    assert second.count('<td class="col-date"><a href="/exchanges/') == 1
    assert '<span class="current" aria-current="page">2</span>' in second
    # A page past the end shows the last page rather than an error.
    assert "The oldest exchange." in body(logged_in.get("/exchanges/?page=99"))


def test_exchange_csv_has_the_filtered_rows(logged_in: Client, ledger: Ledger) -> None:
    response = logged_in.get("/exchanges/?type=meeting&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="exchanges.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [row["id"] for row in rows] == [str(ledger.meeting.pk)]
    assert tuple(rows[0]) == EXCHANGE_COLUMNS
    assert rows[0]["participants"] == (
        "African National Congress|host; Communist Party of Vietnam|guest"
    )
    assert rows[0]["country"] == "ZAF"


def test_exchange_json_has_every_matching_row_not_only_one_page(
    logged_in: Client, ledger: Ledger
) -> None:
    response = logged_in.get("/exchanges/?format=json&page=1")
    assert response["Content-Type"] == "application/json"
    rows = json_rows(response)
    assert {row["id"] for row in rows} == {ledger.meeting.pk, ledger.call.pk}
    call = next(row for row in rows if row["id"] == ledger.call.pk)
    assert call["mechanism"] == "SCO Political Parties Forum"
    assert call["date"] == "2023-06"


def test_list_links_to_downloads_of_the_same_filter(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/actors/?country=ZAF&page=1"))
    assert 'href="?country=ZAF&amp;format=csv"' in page
    assert 'href="?country=ZAF&amp;format=json"' in page


@pytest.mark.parametrize(
    ("url", "field", "expected"),
    [
        (
            "/actors/?country=ZAF&format=json",
            "name",
            {"African National Congress", "ANC International Relations Committee"},
        ),
        ("/mechanisms/?format=json", "name", {"SCO Political Parties Forum"}),
        ("/countries/?region=Africa&format=json", "iso3", {"ZAF", "NAM"}),
        ("/sources/?format=json", "title", {"ANC receives CPV delegation"}),
    ],
)
def test_json_downloads_have_the_filtered_rows(
    logged_in: Client, ledger: Ledger, url: str, field: str, expected: set[str]
) -> None:
    assert {row[field] for row in json_rows(logged_in.get(url))} == expected


def test_actor_csv_has_names_and_ids(logged_in: Client, ledger: Ledger) -> None:
    response = logged_in.get("/actors/?q=African+National&format=csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [row["name"] for row in rows] == ["African National Congress"]
    assert rows[0]["external_ids"] == "wikidata:Q83162"
    assert "ANC" in rows[0]["names"]


def test_audit_list_offers_no_downloads(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/audit/"))
    assert "format=csv" not in page


def test_search_terms_keep_quoted_phrases_together() -> None:
    assert search_terms('party "video forum"  SCO') == ["party", "video forum", "SCO"]


def test_url_with_changes_one_parameter_and_restarts_from_page_one() -> None:
    request = RequestFactory().get("/exchanges/?type=call&page=3&q=x")
    assert url_with(request, channel="video") == "?type=call&q=x&channel=video"
    assert url_with(request, type=None) == "?q=x"
    assert url_with(request, page=4) == "?type=call&page=4&q=x"


def test_highlight_span_escapes_the_text_and_marks_the_span() -> None:
    text = "Before <b>. The parties met & talked. After."
    start = text.index("The parties")
    marked = highlight_span(text, start, start + len("The parties met & talked."))
    assert marked == "Before &lt;b&gt;. <mark>The parties met &amp; talked.</mark> After."
