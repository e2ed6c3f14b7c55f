"""Every page: login first, then each list and each record's page, with its key fields."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.web.conftest import PUBLIC_SENTENCE, Ledger, body

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/",
    "/exchanges/",
    "/actors/",
    "/mechanisms/",
    "/countries/",
    "/sources/",
    "/audit/",
]


@pytest.mark.parametrize("url", [*LIST_URLS, "/exchanges/1/", "/actors/1/", "/countries/ZAF/"])
def test_pages_redirect_anonymous_users_to_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_login_page_shows_the_form(client: Client) -> None:
    response = client.get("/login/?next=/actors/")
    assert response.status_code == 200
    page = body(response)
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'value="/actors/"' in page


def test_login_with_the_right_password_opens_the_next_page(client: Client, viewer: User) -> None:
    response = client.post(
        "/login/",
        {"username": "africa_viewer", "password": "a long test password", "next": "/actors/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/actors/"
    assert client.get("/actors/").status_code == 200


def test_login_with_a_wrong_password_says_so(client: Client, viewer: User) -> None:
    response = client.post("/login/", {"username": "africa_viewer", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in body(response)
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(logged_in: Client) -> None:
    response = logged_in.post("/logout/")
    assert response.status_code == 302
    assert logged_in.get("/").status_code == 302


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/", ["counterparts in contact", "Communist Party of Vietnam", "Latest exchanges"]),
        (
            "/exchanges/",
            [
                "African National Congress",
                "SWAPO Party",
                "Pretoria",
                "<strong>2</strong> exchanges",
            ],
        ),
        ("/actors/", ["African National Congress", "SWAPO Party", "Communist Party of Vietnam"]),
        (
            "/mechanisms/",
            ["SCO Political Parties Forum", "regional", "<strong>1</strong> mechanism<"],
        ),
        ("/countries/", ["South Africa", "Namibia", "Viet Nam", "BRICS"]),
        (
            "/sources/",
            ["ANC receives CPV delegation", "Pretoria News", "<strong>1</strong> source<"],
        ),
        ("/audit/", ["record exchange", "create actor"]),
    ],
)
def test_list_pages_show_their_records(
    logged_in: Client, ledger: Ledger, url: str, shown: list[str]
) -> None:
    response = logged_in.get(url)
    assert response.status_code == 200
    page = body(response)
    for text in shown:
        assert text in page


def test_dashboard_shows_the_headline_figures(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/"))
    # ANC, CPV and SWAPO, from three countries, all three developing.
    assert '<span class="value">3</span><span class="what">counterparts in contact' in page
    assert '<span class="value">3</span><span class="what">countries reached' in page
    assert "100%" in page
    assert "exchanges in 2024" in page


def test_dashboard_breaks_a_chosen_year_down(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/?year=2023"))
    assert "exchanges in 2023" in page
    assert "/exchanges/?year=2023&amp;type=call" in page
    assert "/exchanges/?year=2023&amp;channel=video" in page


def test_exchange_page_shows_who_when_where_and_the_evidence(
    logged_in: Client, ledger: Ledger
) -> None:
    response = logged_in.get(f"/exchanges/{ledger.meeting.pk}/")
    assert response.status_code == 200
    page = body(response)
    assert "14 May 2024" in page
    assert f'href="/actors/{ledger.anc.pk}/">African National Congress</a>' in page
    assert f'href="/actors/{ledger.cpv.pk}/">Communist Party of Vietnam</a>' in page
    assert 'href="/countries/ZAF/">South Africa</a>' in page
    assert "Pretoria" in page
    assert "governance" in page
    assert "Agreed to deepen exchanges on governance." in page
    assert "Fikile Mbalula" in page
    assert f'<blockquote class="evidence">{PUBLIC_SENTENCE}</blockquote>' in page
    assert f"<mark>{PUBLIC_SENTENCE}</mark>" in page
    assert f'href="/sources/{ledger.source.pk}/">ANC receives CPV delegation</a>' in page
    assert "record exchange" in page  # the history


def test_exchange_page_links_its_mechanism_and_edition(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get(f"/exchanges/{ledger.call.pk}/"))
    assert f'href="/mechanisms/{ledger.mechanism.pk}/">SCO Political Parties Forum</a>' in page
    assert "Fifth SCO Political Parties Forum" in page
    assert "Jun 2023" in page  # a month-precision date is written to the month
    assert "video" in page


def test_actor_page_shows_names_ids_statuses_structure_and_exchanges(
    logged_in: Client, ledger: Ledger
) -> None:
    response = logged_in.get(f"/actors/{ledger.anc.pk}/")
    assert response.status_code == 200
    page = body(response)
    assert "<h1>African National Congress</h1>" in page
    assert "abbreviation" in page
    assert 'href="https://www.wikidata.org/wiki/Q83162"' in page
    assert "ruling" in page
    assert "since 1994" in page
    assert f'href="/actors/{ledger.organ.pk}/">ANC International Relations Committee</a>' in page
    assert "Fikile Mbalula" in page
    assert "Secretary-General" in page
    assert f'href="/exchanges/{ledger.meeting.pk}/">14 May 2024</a>' in page
    assert f'href="/actors/{ledger.cpv.pk}/">Communist Party of Vietnam</a>' in page  # met with
    assert f'href="/sources/{ledger.source.pk}/"' in page
    assert "create actor" in page  # the history


def test_actor_page_links_up_to_its_parent(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get(f"/actors/{ledger.organ.pk}/"))
    assert f'href="/actors/{ledger.anc.pk}/">African National Congress</a>' in page
    assert "party organ" in page


def test_mechanism_page_shows_editions_participants_and_exchanges(
    logged_in: Client, ledger: Ledger
) -> None:
    response = logged_in.get(f"/mechanisms/{ledger.mechanism.pk}/")
    assert response.status_code == 200
    page = body(response)
    assert "<h1>SCO Political Parties Forum</h1>" in page
    assert "Fifth SCO Political Parties Forum" in page
    assert "SCO Forum" in page  # the alias
    assert "A forum of parties from SCO member states." in page
    assert f'href="/actors/{ledger.swapo.pk}/">SWAPO Party</a>' in page
    assert f'href="/exchanges/{ledger.call.pk}/"' in page


def test_country_page_shows_groups_counterparts_and_exchanges_held_there(
    logged_in: Client, ledger: Ledger
) -> None:
    response = logged_in.get("/countries/zaf/")
    assert response.status_code == 200
    page = body(response)
    assert "<h1>South Africa</h1>" in page
    assert "BRICS" in page
    assert "2011" in page
    assert f'href="/actors/{ledger.anc.pk}/">African National Congress</a>' in page
    assert f'href="/exchanges/{ledger.meeting.pk}/"' in page


def test_source_page_marks_the_evidence_in_its_text(logged_in: Client, ledger: Ledger) -> None:
    response = logged_in.get(f"/sources/{ledger.source.pk}/")
    assert response.status_code == 200
    page = body(response)
    assert "<h1>ANC receives CPV delegation</h1>" in page
    assert 'href="https://example.org/anc-cpv"' in page
    assert "Pretoria News" in page
    assert f"<mark>{PUBLIC_SENTENCE}</mark>" in page
    assert f'href="/exchanges/{ledger.meeting.pk}/"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/exchanges/999999/",
        "/actors/999999/",
        "/mechanisms/999999/",
        "/countries/XXX/",
        "/sources/999999/",
    ],
)
def test_unknown_records_are_not_found(logged_in: Client, ledger: Ledger, url: str) -> None:
    assert logged_in.get(url).status_code == 404


def test_audit_page_links_each_entry_to_its_record(logged_in: Client, ledger: Ledger) -> None:
    page = body(logged_in.get("/audit/?object_type=Mechanism"))
    assert f'href="/mechanisms/{ledger.mechanism.pk}/">Mechanism {ledger.mechanism.pk}</a>' in page
    assert "create mechanism" in page
    assert "record exchange" not in page
