"""The map of contacts by country: colours, links to countries, filters, visibility, shapes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from liaison.domain.enums import UserRole
from liaison.web.views.maps import BINS, NO_DATA, legend, shapes, thresholds
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import Ledger, body

pytestmark = pytest.mark.django_db


def values(page: str) -> dict[str, int]:
    """Return the value the map shows for each country it links, by ISO alpha-3 code."""
    found = re.findall(
        r'<a class="country" href="/countries/(\w{3})/" data-iso3="\w{3}" '
        r'data-value="(\d+)">',
        page,
    )
    return {iso3: int(value) for iso3, value in found}


def fill_of(page: str, iso3: str) -> str:
    """Return the colour a country is painted in."""
    match = re.search(
        rf'<a class="country" href="/countries/{iso3}/"[^>]*>.*?<use href="[^"]+" fill="(#\w+)"',
        page,
    )
    assert match, iso3
    return match.group(1)


def test_each_country_of_the_ledger_links_to_its_page_with_its_counterparts(
    logged_in: Client, ledger: Ledger
) -> None:
    page = body(logged_in.get("/map/"))
    assert values(page) == {"ZAF": 1, "VNM": 1, "NAM": 1, "LAO": 0, "DEU": 0}
    assert fill_of(page, "ZAF") == BINS[-1]
    assert fill_of(page, "DEU") == NO_DATA
    assert "<title>South Africa: 1 counterpart</title>" in page
    assert '<use href="/map/shapes.svg#ZA"' in page


def test_the_map_can_count_exchanges_instead(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/map/?measure=exchanges"))
    assert values(page)["VNM"] == 2  # the meeting and the call; the internal visit is hidden
    assert fill_of(page, "VNM") == BINS[-1]
    assert fill_of(page, "ZAF") != BINS[-1]
    assert '<strong aria-current="true">exchanges</strong>' in page


def test_the_internal_exchange_counts_only_for_those_who_may_see_it(
    client: Client, logged_in: Client, ledger: Ledger
) -> None:
    assert values(body(logged_in.get("/map/")))["LAO"] == 0
    client.force_login(make_user("asia_viewer", UserRole.VIEWER, ledger.asia))
    page = body(client.get("/map/"))
    assert values(page)["LAO"] == 1
    assert "Lao PDR" in page


@pytest.mark.parametrize(
    ("query", "nonzero"),
    [
        ("type=call", {"VNM", "NAM"}),
        ("start=2024", {"ZAF", "VNM"}),
        ("end=2023&channel=video", {"VNM", "NAM"}),
        ("region=Europe", set()),
    ],
)
def test_filters_narrow_the_map(
    logged_in: Client, ledger: Ledger, query: str, nonzero: set[str]
) -> None:
    page = body(logged_in.get(f"/map/?{query}"))
    assert {iso3 for iso3, value in values(page).items() if value} == nonzero


def test_the_table_lists_the_countries_with_contacts(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/map/"))
    assert '<a href="/countries/ZAF/">South Africa</a>' in page
    assert '<a href="/countries/LAO/">' not in page


def test_the_dashboard_shows_the_map(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/"))
    assert "Contacts by country" in page
    assert values(page) == {"ZAF": 1, "VNM": 1, "NAM": 1, "LAO": 0, "DEU": 0}
    assert '<a href="/map/">Map</a>' in page


def test_the_shapes_are_one_cacheable_svg_of_countries(client: Client) -> None:
    response = client.get("/map/shapes.svg", HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    root = ET.fromstring(response.content)  # well-formed XML
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"ZA", "VN", "NA", "LA", "DE", "US", "BR"} <= ids
    assert len(shapes()) > 200


def test_the_colour_scale_is_logarithmic_and_its_legend_covers_every_value() -> None:
    assert thresholds(1000) == [2, 14, 62, 250, 1000]
    assert legend(7) == [("1", BINS[1]), ("2", BINS[2]), ("3–4", BINS[3]), ("5–7", BINS[4])]
    for top in (1, 2, 5, 9, 40, 333):
        covered = []
        for label, _ in legend(top):
            low, _, high = label.partition("–")
            covered.extend(range(int(low), int(high or low) + 1))
        assert covered == list(range(1, top + 1))
    assert legend(0) == []


def test_the_kept_counts_follow_the_reader_and_the_ledger(
    logged_in: Client, ledger: Ledger
) -> None:
    other = Client()  # logged_in is the client fixture, logged in as the viewer
    other.force_login(make_user("asia_viewer", UserRole.VIEWER, ledger.asia))
    assert values(body(other.get("/map/")))["LAO"] == 1
    assert values(body(logged_in.get("/map/")))["LAO"] == 0
    make_exchange(ledger.anc, make_actor("Party of Germany", country="DEU"))
    assert values(body(logged_in.get("/map/")))["DEU"] == 1
