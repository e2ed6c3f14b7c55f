"""The day of an editor, in a real browser: log in, search, review, record, see the dashboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from liaison.domain.enums import ReviewStatus, UserRole
from liaison.ledger.models import ActorMerge, Exchange
from tests.factories import make_user
from tests.web.conftest import Ledger, Proposed

# Registered as "e2e" by the lead; until then these run with the slow tests.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def shoot(page: Page, folder: Path, name: str) -> Path:
    """Save a full-page screenshot and print where it is."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")  # noqa: T201 - the paths are part of the test's report
    return path


def log_in(page: Page, base: str, username: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_an_editor_searches_reviews_records_and_sees_the_dashboard(
    page: Page, live_server: Any, ledger: Ledger, proposed: Proposed, screenshots: Path
) -> None:
    base = live_server.url
    make_user("africa_editor", UserRole.EDITOR, ledger.africa)
    log_in(page, base, "africa_editor")
    shoot(page, screenshots, "01-dashboard")

    # Search with a facet.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Exchanges").click()
    page.get_by_role("search").get_by_role("searchbox").fill("CPV")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.locator(".resultbar .count")).to_contain_text("3 exchanges matching")
    page.locator(".facets").get_by_role("link", name=re.compile(r"^meeting")).click()
    expect(page.locator(".resultbar .count")).to_contain_text("2 exchanges matching")
    expect(page.locator(".chip", has_text="Type: meeting")).to_be_visible()
    shoot(page, screenshots, "02-exchanges-search-facet")

    # Open a counterpart.
    page.locator("table.exchanges").get_by_role("link", name="African National Congress").click()
    expect(page.get_by_role("heading", name="African National Congress", level=1)).to_be_visible()
    expect(page.get_by_text("Secretary-General")).to_be_visible()
    shoot(page, screenshots, "03-counterpart")

    # Accept the proposed exchange in the review queue, with the keyboard.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    item = page.locator(f"#item-{proposed.exchange.pk}")
    expect(item).to_have_class(re.compile(r"\bcurrent\b"))
    expect(item.locator("mark")).to_contain_text("met the Swapo Party of Namibia in Windhoek")
    shoot(page, screenshots, "04-review-exchanges")
    page.keyboard.press("a")
    expect(page.get_by_role("status")).to_contain_text("Accepted the meeting of 2024-04-03.")
    proposed.exchange.refresh_from_db()
    assert proposed.exchange.review_status == ReviewStatus.CONFIRMED

    # Merge the proposed counterpart into SWAPO, then undo it from SWAPO's page.
    page.get_by_role("link", name=re.compile(r"^Counterparts 1")).click()
    shoot(page, screenshots, "05-review-counterparts")
    actor_item = page.locator(f"#item-{proposed.actor.pk}")
    actor_item.get_by_role("button", name="Merge into this").first.click()
    expect(page.get_by_role("status")).to_contain_text("Merged Swapo Party of Namibia into")
    page.get_by_role("link", name=re.compile("Undo it from")).click()
    expect(page.locator("#merges")).to_contain_text("Swapo Party of Namibia into SWAPO Party")
    shoot(page, screenshots, "06-counterpart-merges")
    page.locator("#merges").get_by_role("button", name="Undo merge").click()
    expect(page.get_by_role("status")).to_contain_text("Undid the merge")
    assert ActorMerge.objects.get().undone_at is not None

    # Record a back-dated exchange through the form; a wrong date first.
    page.get_by_role("link", name="+ Record exchange").click()
    page.get_by_label("Type").select_option("visit")
    page.get_by_label("Channel").select_option("in_person")
    page.get_by_label("Date", exact=False).first.fill("1998-13")
    page.get_by_label("City").fill("Windhoek")
    page.get_by_label("Country").select_option("NAM")
    page.get_by_label("Summary").fill("Study tour on rural governance")
    page.locator("#id_participants-0-actor").fill("African National Congress")
    page.locator("#id_participants-0-role").select_option("guest")
    page.locator("#id_participants-1-actor").fill("SWA")
    expect(page.locator("#actor-suggestions option").first).to_have_attribute(
        "value", f"SWAPO Party [{ledger.swapo.pk}]"
    )
    page.locator("#id_participants-1-actor").fill(f"SWAPO Party [{ledger.swapo.pk}]")
    page.locator("#id_participants-1-role").select_option("host")
    page.get_by_role("button", name="Add a person").click()
    page.locator("#id_people-2-name").fill("Sam Nujoma")
    page.get_by_label("Source URL").fill("https://example.org/study-tour")
    page.get_by_label("Source title").fill("Study tour")
    page.get_by_label("Evidence sentence").fill("An ANC delegation visited SWAPO in Windhoek.")
    page.get_by_role("button", name="Record the exchange").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(page.locator(".field.invalid")).to_contain_text("1998-13 is not in the calendar")
    shoot(page, screenshots, "07-exchange-form-errors")
    assert not Exchange.objects.filter(summary="Study tour on rural governance").exists()
    page.locator("#id_date").fill("1998-11")
    page.get_by_role("button", name="Record the exchange").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visit, Nov 1998")
    expect(page.get_by_text("Sam Nujoma")).to_be_visible()
    shoot(page, screenshots, "08-exchange-recorded")

    # See it on the dashboard.
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator(".chart svg")).to_contain_text("1998")
    expect(page.get_by_text("Study tour on rural governance")).to_be_visible()
    shoot(page, screenshots, "09-dashboard-after")


def test_a_viewer_is_offered_no_editing(
    page: Page, live_server: Any, ledger: Ledger, screenshots: Path
) -> None:
    make_user("africa_viewer", UserRole.VIEWER, ledger.africa)
    log_in(page, live_server.url, "africa_viewer")
    expect(page.get_by_role("link", name="Review")).to_have_count(0)
    expect(page.get_by_role("link", name="+ Record exchange")).to_have_count(0)
    response = page.goto(f"{live_server.url}/exchanges/new/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_an_analyst_explores_the_network_the_map_and_the_timeline(
    page: Page, live_server: Any, ledger: Ledger, screenshots: Path
) -> None:
    base = live_server.url
    make_user("central_viewer", UserRole.VIEWER, ledger.central)
    log_in(page, base, "central_viewer")
    expect(page.locator("svg.worldmap a.country")).not_to_have_count(0)

    # The network: hover lights a counterpart's partners, zoom changes the view, a click opens.
    nav = page.get_by_role("navigation", name="Main")
    tabs = page.get_by_role("navigation", name="Explore")
    nav.get_by_role("link", name="Explore").click()
    expect(page.get_by_role("heading", name="Network", level=1)).to_be_visible()
    svg = page.locator("svg.network")
    expect(svg.locator("a.node")).to_have_count(4)
    shoot(page, screenshots, "10-network")
    swapo = svg.locator(f'a.node[data-id="{ledger.swapo.pk}"]')
    swapo.hover()
    expect(svg).to_have_class(re.compile(r"\bfocused\b"))
    expect(svg.locator(f'a.node[data-id="{ledger.cpv.pk}"]')).to_have_class(re.compile(r"\blit\b"))
    expect(svg.locator(f'a.node[data-id="{ledger.lprp.pk}"]')).not_to_have_class(
        re.compile(r"\blit\b")
    )
    shoot(page, screenshots, "11-network-hover")
    before = svg.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    assert svg.get_attribute("viewBox") != before
    page.get_by_role("button", name="Reset").click()
    assert svg.get_attribute("viewBox") == before

    # Filters come back in the form and narrow the drawing.
    page.get_by_label("Type").select_option("call")
    page.get_by_role("button", name="Apply").click()
    expect(svg.locator("a.node")).to_have_count(2)
    page.get_by_role("link", name="Clear filters").click()
    expect(svg.locator("a.node")).to_have_count(4)
    svg.get_by_role("link", name="African National Congress").click()  # nodes are links
    expect(page.get_by_role("heading", name="African National Congress", level=1)).to_be_visible()

    # The map: countries with counterparts are coloured and open their page.
    nav.get_by_role("link", name="Explore").click()
    tabs.get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", name="Map of contacts")).to_be_visible()
    shoot(page, screenshots, "12-map")
    page.locator('svg.worldmap a.country[data-iso3="NAM"]').click()
    expect(page.get_by_role("heading", name="Namibia", level=1)).to_be_visible()

    # The timeline, by month then by year.
    nav.get_by_role("link", name="Explore").click()
    tabs.get_by_role("link", name="Timeline").click()
    expect(page.locator("svg.timeline rect")).to_have_count(3)
    shoot(page, screenshots, "13-timeline")
    page.get_by_role("link", name="year", exact=True).click()
    expect(page.locator("svg.timeline text.tick")).to_have_count(3)
    shoot(page, screenshots, "14-timeline-by-year")
