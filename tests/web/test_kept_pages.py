"""Parts of pages kept until the ledger changes (a counterpart's first page of exchanges, the
dashboard's latest exchanges), the API list's rows read as values, and what every request reads
of its user (the membership, once)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.domain.enums import UserRole, Visibility
from liaison.ledger import actions
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import SECRET, Ledger, body
from tests.web.test_api import Api

pytestmark = pytest.mark.django_db


def _client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_kept_first_page_of_a_timeline_is_each_scope_s_own(
    logged_in: Client, ledger: Ledger
) -> None:
    insider = _client_for(make_user("asia_viewer", UserRole.VIEWER, ledger.asia))
    # The insider's page is kept first: the sibling's must not be served from it.
    assert SECRET in body(insider.get(f"/actors/{ledger.cpv.pk}/"))
    assert SECRET not in body(logged_in.get(f"/actors/{ledger.cpv.pk}/"))
    assert SECRET in body(insider.get(f"/actors/{ledger.cpv.pk}/"))


def test_a_new_exchange_is_on_the_first_page_at_once(logged_in: Client, ledger: Ledger) -> None:
    before = body(logged_in.get(f"/actors/{ledger.anc.pk}/"))
    assert "Talks on rural clinics" not in before
    newer = make_exchange(
        ledger.anc, make_actor(), when="2025-02-03", summary="Talks on rural clinics"
    )
    after = body(logged_in.get(f"/actors/{ledger.anc.pk}/"))
    assert f'href="/exchanges/{newer.pk}/">3 Feb 2025</a>' in after
    assert after.index("Talks on rural clinics") < after.index("14 May 2024")


def test_later_pages_of_a_timeline_are_read_in_the_same_order(
    logged_in: Client, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison.web.views.actors.TIMELINE_PER_PAGE", 1)
    older = make_exchange(ledger.anc, make_actor(), when="2019-07-01", summary="An older visit")
    first = body(logged_in.get(f"/actors/{ledger.anc.pk}/"))
    second = body(logged_in.get(f"/actors/{ledger.anc.pk}/?page=2"))
    assert f'href="/exchanges/{ledger.meeting.pk}/"' in first
    assert f'href="/exchanges/{older.pk}/"' not in first
    assert f'href="/exchanges/{older.pk}/"' in second
    assert f'href="/exchanges/{ledger.meeting.pk}/"' not in second
    assert 'href="?page=1"' in second and 'href="?page=2"' in first
    asked = body(logged_in.get(f"/actors/{ledger.anc.pk}/?page=1"))
    assert f'href="/exchanges/{ledger.meeting.pk}/"' in asked
    assert f'href="/exchanges/{older.pk}/"' not in asked


def test_the_dashboard_lists_the_latest_exchanges_of_each_scope_at_once(
    logged_in: Client, ledger: Ledger
) -> None:
    insider = _client_for(make_user("asia_viewer", UserRole.VIEWER, ledger.asia))
    assert SECRET in body(insider.get("/"))
    assert SECRET not in body(logged_in.get("/"))
    newer = make_exchange(ledger.cpv, make_actor(), when="2025-03-04", summary="Talks on ports")
    latest = body(logged_in.get("/"))
    assert f'href="/exchanges/{newer.pk}/">4 Mar 2025</a>' in latest
    assert latest.index("Talks on ports") < latest.index("14 May 2024")


def test_a_page_reads_the_membership_once_and_shows_it(logged_in: Client, ledger: Ledger) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = body(logged_in.get(f"/actors/{ledger.anc.pk}/"))
    read = [q["sql"] for q in queries.captured_queries if '"ledger_membership"' in q["sql"]]
    assert len(read) == 1
    assert '<span class="unit">· Central Africa (viewer)</span>' in page


def test_a_listed_exchange_with_everything_set_is_what_the_detail_says(
    ledger: Ledger,
) -> None:
    actions.ensure_unit("central.asia", "Central Asia", ledger.central)
    exchange = make_exchange(
        ledger.anc,
        ledger.swapo,
        when="2021-09",
        summary="Talks on party schools",
        end_date=datetime.date(2021, 9, 30),
        external_ref="memo-17",
        topics=("education", "party building"),
        visibility=Visibility.INTERNAL,
        unit=ledger.africa,
        mechanism=ledger.mechanism,
        edition=ledger.edition,
        people=(
            actions.PersonInput("Nangolo Mbumba", "Secretary-General", ledger.swapo),
            actions.PersonInput("An interpreter", "", None),
        ),
    )
    api = Api(make_user("api-africa", UserRole.EDITOR, ledger.africa))
    [listed] = api.json("/exchanges/", q="party schools")["items"]
    detail = api.json(f"/exchanges/{exchange.pk}")
    detail.pop("evidence")
    assert listed == detail
    assert listed["people"][1] == {"name": "An interpreter", "role": "", "org": None}
    assert listed["date"] == "2021-09" and listed["unit"] == "central.africa"
