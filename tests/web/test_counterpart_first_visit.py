"""What the first visit to a counterpart's page reads (nothing kept yet): its figures, neighbours
and first page of exchanges in plain SQL over the actor's own participations, the same as the
ORM's answers, and a number of queries that does not grow with the actor's exchanges."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.domain.enums import UserRole
from liaison.ledger import actions
from liaison.web.views import actors
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import Ledger, body

pytestmark = pytest.mark.django_db


def test_met_with_counts_shared_visible_exchanges_newest_date_most_first(
    ledger: Ledger, viewer: Any
) -> None:
    make_exchange(ledger.cpv, ledger.swapo, when="2021-01-05")
    make_exchange(ledger.cpv, ledger.swapo, ledger.anc, when="2020-02-03")
    met = actors.neighbours(viewer, ledger.cpv)[0]
    assert met == [
        {
            "actor_id": ledger.swapo.pk,
            "actor__name": "SWAPO Party",
            "actor__country__name": "Namibia",
            "shared": 3,
            "last": datetime.date(2023, 6, 1),
        },
        {
            "actor_id": ledger.anc.pk,
            "actor__name": "African National Congress",
            "actor__country__name": "South Africa",
            "shared": 2,
            "last": datetime.date(2024, 5, 14),
        },
    ]
    # The internal visit to Laos is seen by its own unit only.
    insider = make_user("asia_viewer", UserRole.VIEWER, ledger.asia)
    assert ledger.lprp.pk in [row["actor_id"] for row in actors.neighbours(insider, ledger.cpv)[0]]


def test_equal_counts_are_ordered_by_name() -> None:
    actor = make_actor("Middle Party")
    for name in ("Zulu Party", "Alpha Party", "Kilo Party"):
        make_exchange(actor, make_actor(name))
    user = make_user("someone", UserRole.VIEWER)
    names = [row["actor__name"] for row in actors.neighbours(user, actor)[0]]
    assert names == ["Alpha Party", "Kilo Party", "Zulu Party"]


@pytest.mark.parametrize("dense", [True, False])
def test_the_kept_first_page_is_what_the_rows_tag_writes(
    ledger: Ledger, viewer: Any, dense: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A share of 0 makes no actor dense; one of a billion makes every actor with an exchange so
    # (ids are not reset between tests on PostgreSQL).
    monkeypatch.setattr(actors, "DENSE_SHARE", 10**9 if dense else 0)
    make_exchange(ledger.cpv, make_actor(), when="2019-07-01", summary="An older <visit>")
    page = actors._kept_page(viewer, ledger.cpv)
    assert page["dense"] is dense
    assert page["count"] == 3 and page["last"] == datetime.date(2024, 5, 14)
    rows = list(actors.timeline_rows(viewer, ledger.cpv, dense)[: actors.TIMELINE_PER_PAGE])
    written = render_to_string("liaison/_exchange_rows.html", {"exchanges": rows})
    assert page["first_page_html"] == written
    assert "An older &lt;visit&gt;" in written


def test_an_actor_without_visible_exchanges_has_none(viewer: Any) -> None:
    page = actors._kept_page(viewer, make_actor("Quiet Party"))
    assert page["count"] == 0 and page["last"] is None and page["neighbours"] == []
    assert "No exchanges." in page["first_page_html"]


def test_the_first_visit_reads_as_many_queries_for_many_exchanges_as_for_few(
    viewer: Any,
) -> None:
    few, many = make_actor("Few Party"), make_actor("Many Party")
    make_exchange(few, make_actor())
    for day in range(1, 30):
        make_exchange(many, make_actor(), when=f"2024-01-{day:02d}")

    def queries(actor: Any) -> int:
        with CaptureQueriesContext(connection) as read:
            actors._kept_page(viewer, actor)
        return len(read.captured_queries)

    actors.shown_sql(viewer)  # the viewer's units, read once per request whatever the page
    assert queries(many) == queries(few)


def test_an_absorbed_record_is_listed_on_its_keeper_s_page(
    logged_in: Client, ledger: Ledger
) -> None:
    duplicate = make_actor("SWAPO (duplicate)")
    actions.merge_actors(ledger.swapo, duplicate)
    page = body(logged_in.get(f"/actors/{ledger.swapo.pk}/"))
    assert "Merged into this record" in page
    assert f'<a href="/actors/{duplicate.pk}/">SWAPO (duplicate)</a>' in page


def test_only_the_parts_an_actor_has_are_read(ledger: Ledger) -> None:
    held = actors._held(ledger.anc)
    assert {name for name, has in held.items() if has} == {
        "names",
        "external_ids",
        "children",
        "statuses",
        "positions",
        "history",
    }
    duplicate = make_actor("ANC (duplicate)")
    actions.merge_actors(ledger.anc, duplicate)
    assert actors._held(ledger.anc)["absorbed"] and actors._held(duplicate)["merges"]
    record = actors._record(ledger.cpv)
    assert record["names"] and record["statuses"] == [] and record["merges"] == []


def test_sources_are_those_of_visible_exchanges_newest_first(ledger: Ledger, viewer: Any) -> None:
    shown = actors.contact_summary(viewer, ledger.cpv)["sources"]
    assert shown == [ledger.source]
    insider = make_user("asia_viewer", UserRole.VIEWER, ledger.asia)
    assert actors.contact_summary(insider, ledger.cpv)["sources"] == [
        ledger.source,
        ledger.secret_source,
    ]


def test_the_contacts_are_written_escaped_with_their_dates(ledger: Ledger, viewer: Any) -> None:
    odd = make_actor("Workers & <Peasants>")
    make_exchange(ledger.cpv, odd, when="2021-01-05")
    summary = actors.contact_summary(viewer, ledger.cpv)
    written = actors.contact_rows(summary["neighbours"], summary["sources"])
    assert (
        f'<tr><td><a href="/actors/{ledger.anc.pk}/">African National Congress</a></td>'
        '<td>South Africa</td><td class="num">1</td><td class="col-date">14 May 2024</td></tr>'
    ) in written["neighbour_rows"]
    assert (
        f'<a href="/actors/{odd.pk}/">Workers &amp; &lt;Peasants&gt;</a></td>'
        f"<td>{odd.country.name if odd.country else ''}</td>"
        '<td class="num">1</td><td class="col-date">5 Jan 2021</td>'
    ) in written["neighbour_rows"]
    assert written["source_items"] == (
        f'<li><a href="/sources/{ledger.source.pk}/">{ledger.source}</a>'
        ' <span class="muted small">Pretoria News, 15 May 2024</span></li>'
    )
    # A source without its outlet: the date alone, no comma before it.
    ledger.source.outlet = ""
    assert (
        '<span class="muted small">15 May 2024</span>'
        in actors.contact_rows([], [ledger.source])["source_items"]
    )
