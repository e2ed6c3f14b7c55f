"""Data entry: exchanges, counterparts and mechanisms recorded and edited through forms."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from liaison.domain.enums import ReviewStatus, UserRole
from liaison.ledger.models import Actor, AuditEntry, Exchange, Mechanism, Source
from tests.factories import make_user
from tests.web.conftest import Ledger, Proposed, body, exchange_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client: Client, ledger: Ledger) -> Client:
    """A client logged in as an editor of the Africa bureau."""
    client.force_login(make_user("africa_editor", UserRole.EDITOR, ledger.africa))
    return client


@pytest.fixture
def admin(client: Client, ledger: Ledger) -> Client:
    """A client logged in as an administrator."""
    client.force_login(make_user("admin", UserRole.ADMIN, ledger.central))
    return client


def test_exchange_form_shows_every_part(editor: Client, ledger: Ledger) -> None:
    page = body(editor.get("/exchanges/new/"))
    for name in ("type", "channel", "date", "end_date", "city", "country", "mechanism"):
        assert f'name="{name}"' in page
    for name in ("edition", "topics", "summary", "unit", "visibility", "source_url", "evidence"):
        assert f'name="{name}"' in page
    assert 'name="participants-0-actor"' in page
    assert 'name="people-0-name"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'<option value="{ledger.africa.pk}" selected>' in page  # the editor's own unit


def test_recording_a_back_dated_exchange_stores_everything(editor: Client, ledger: Ledger) -> None:
    response = editor.post("/exchanges/new/", exchange_post(ledger))
    exchange = Exchange.objects.get(city="Pretoria", date__year=1998)
    assert response.status_code == 302
    assert response["Location"] == f"/exchanges/{exchange.pk}/"
    assert (exchange.date, exchange.date_precision) == (datetime.date(1998, 11, 1), "month")
    assert exchange.unit == ledger.africa
    assert exchange.review_status == ReviewStatus.CONFIRMED
    assert exchange.topics == ["governance", "youth"]
    roles = {(p.actor.name, p.role) for p in exchange.participations.all()}
    assert roles == {("African National Congress", "host"), ("Communist Party of Vietnam", "guest")}
    attendance = exchange.attendances.get()
    assert (attendance.person.name, attendance.org) == ("Nguyen Van An", ledger.cpv)
    evidence = exchange.evidence.get()
    assert evidence.text == "The ANC hosted a study group of the CPV in Pretoria."
    assert evidence.source.url == "https://example.org/study-group"
    entry = AuditEntry.objects.get(action="record_exchange", object_id=str(exchange.pk))
    assert (entry.user.username if entry.user else None, entry.via) == ("africa_editor", "web")
    page = body(editor.get(response["Location"]))
    assert "Recorded the meeting of 1998-11." in page
    assert "Nov 1998" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "5 May 2024"}, "date", "Write the date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"date": "2024-02-30"}, "date", "2024-02-30 is not in the calendar"),
        ({"date": ""}, "date", "This field is required."),
        ({"date": "2024-05-14", "end_date": "2024-05-01"}, "end_date", "The end date is before"),
        (
            {
                "participants-0-actor": "",
                "participants-0-role": "guest",
                "participants-1-actor": "",
            },
            None,
            "Name at least one participant.",
        ),
        ({"participants-0-actor": "Nobody Party"}, None, "No counterpart is called “Nobody Party”"),
        ({"source_url": "", "source_title": ""}, "source_url", "Say where the evidence comes"),
        ({"evidence": ""}, "evidence", "Quote the sentence of the source"),
        ({"source_url": "not a url"}, "source_url", "Enter a valid URL."),
        ({"country": "XXX"}, "country", "Select a valid choice."),
        ({"type": "party"}, "type", "Select a valid choice."),
    ],
    ids=[
        "words",
        "no-such-day",
        "no-date",
        "end-before",
        "no-participant",
        "unknown-actor",
        "no-source",
        "no-sentence",
        "bad-url",
        "bad-country",
        "bad-type",
    ],
)
def test_invalid_exchange_comes_back_with_the_message_and_saves_nothing(
    editor: Client, ledger: Ledger, changes: dict[str, str], field: str | None, message: str
) -> None:
    exchanges, sources, audit = (
        Exchange.objects.count(),
        Source.objects.count(),
        AuditEntry.objects.count(),
    )
    response = editor.post("/exchanges/new/", exchange_post(ledger, **changes))
    assert response.status_code == 400
    page = body(response)
    assert "Nothing was saved." in page
    assert message in page
    if field:
        assert 'class="field invalid' in page
    assert 'value="Pretoria"' in page or changes.get("city") is not None  # input kept
    assert (Exchange.objects.count(), Source.objects.count()) == (exchanges, sources)
    assert AuditEntry.objects.count() == audit


def test_edition_of_another_mechanism_is_refused(editor: Client, ledger: Ledger) -> None:
    other = Mechanism.objects.create(name="Another forum", scope="global")
    response = editor.post(
        "/exchanges/new/",
        exchange_post(ledger, mechanism=str(other.pk), edition=str(ledger.edition.pk)),
    )
    assert response.status_code == 400
    assert "This edition belongs to SCO Political Parties Forum." in body(response)


def test_an_internal_exchange_needs_a_unit(admin: Client, ledger: Ledger) -> None:
    response = admin.post("/exchanges/new/", exchange_post(ledger, unit="", visibility="internal"))
    assert response.status_code == 400
    assert "An internal exchange needs a unit" in body(response)


def test_an_editor_cannot_record_for_a_unit_outside_theirs(editor: Client, ledger: Ledger) -> None:
    response = editor.post("/exchanges/new/", exchange_post(ledger, unit=str(ledger.asia.pk)))
    assert response.status_code == 400
    assert not Exchange.objects.filter(date__year=1998).exists()


def test_ambiguous_counterpart_names_ask_for_the_number(editor: Client, ledger: Ledger) -> None:
    twin = Actor.objects.create(name="Communist Party of Vietnam", kind="party")
    response = editor.post(
        "/exchanges/new/",
        exchange_post(ledger, **{"participants-1-actor": "communist party of vietnam"}),
    )
    assert response.status_code == 400
    assert f"Communist Party of Vietnam [{twin.pk}]" in body(response)


def test_editing_an_exchange_replaces_its_participants(editor: Client, ledger: Ledger) -> None:
    form = body(editor.get(f"/exchanges/{ledger.meeting.pk}/edit/"))
    assert f'value="African National Congress [{ledger.anc.pk}]"' in form
    assert 'value="2024-05-14"' in form
    data = exchange_post(
        ledger,
        date="2024-05-14",
        city="Johannesburg",
        evidence="",
        source_url="",
        source_title="",
        **{
            "participants-INITIAL_FORMS": "2",
            "participants-1-DELETE": "on",
            "participants-2-actor": "SWAPO Party",
            "participants-2-role": "guest",
        },
    )
    response = editor.post(f"/exchanges/{ledger.meeting.pk}/edit/", data)
    assert response.status_code == 302
    ledger.meeting.refresh_from_db()
    assert ledger.meeting.city == "Johannesburg"
    names = {p.actor.name for p in ledger.meeting.participations.all()}
    assert names == {"African National Congress", "SWAPO Party"}
    assert ledger.meeting.evidence.count() == 1  # the earlier source stays
    assert AuditEntry.objects.filter(action="update_exchange", object_id=str(ledger.meeting.pk))


def test_editing_a_proposed_exchange_corrects_it(
    editor: Client, ledger: Ledger, proposed: Proposed
) -> None:
    data = exchange_post(
        ledger,
        date="2024-04-03",
        **{
            "participants-0-actor": f"Communist Party of Vietnam [{ledger.cpv.pk}]",
            "participants-1-actor": f"SWAPO Party [{ledger.swapo.pk}]",
        },
    )
    response = editor.post(
        f"/exchanges/{proposed.exchange.pk}/edit/?next=/review/", {**data, "next": "/review/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/"
    proposed.exchange.refresh_from_db()
    assert proposed.exchange.review_status == ReviewStatus.CORRECTED


def test_next_never_leads_to_another_site(editor: Client, ledger: Ledger) -> None:
    data = {**exchange_post(ledger), "next": "https://evil.example/"}
    response = editor.post("/exchanges/new/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/exchanges/")


def test_creating_a_counterpart_with_names_and_identifiers(editor: Client, ledger: Ledger) -> None:
    response = editor.post(
        "/actors/new/",
        {
            "name": "Party of the Labour of Namibia",
            "kind": "party",
            "country": "NAM",
            "family": "socialist",
            "founded": "1989",
            "aliases": "PLN\nLabour Party",
            "external_ids": "wikidata:Q999001",
        },
    )
    actor = Actor.objects.get(name="Party of the Labour of Namibia")
    assert response.status_code == 302
    assert response["Location"] == f"/actors/{actor.pk}/"
    assert sorted(n.name for n in actor.names.all()) == ["Labour Party", "PLN"]
    assert [str(i) for i in actor.external_ids.all()] == ["wikidata:Q999001"]
    assert actor.country_id == "NAM"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "ANC", "country": "ZAF"}, "has this name already"),
        ({"external_ids": "Q83162"}, "is not scheme:value"),
        ({"external_ids": "wikidata:Q83162"}, "already belongs to counterpart"),
        ({"founded": "1990", "dissolved": "1980"}, "dissolved before it was founded"),
        ({"org_type": "ngo"}, "Only an organization has an organization type."),
    ],
    ids=["no-name", "duplicate", "bad-id", "taken-id", "years", "org-type"],
)
def test_invalid_counterpart_is_refused(
    editor: Client, ledger: Ledger, changes: dict[str, str], message: str
) -> None:
    before = Actor.objects.count()
    data = {"name": "New Party", "kind": "party", "country": "", **changes}
    response = editor.post("/actors/new/", data)
    assert response.status_code == 400
    assert message in body(response)
    assert Actor.objects.count() == before


def test_a_duplicate_name_may_be_created_on_purpose(editor: Client, ledger: Ledger) -> None:
    data = {"name": "ANC", "kind": "party", "country": "ZAF", "allow_duplicate": "on"}
    assert editor.post("/actors/new/", data).status_code == 302
    assert Actor.objects.filter(name="ANC").count() == 1


def test_editing_a_counterpart_keeps_its_names_and_adds_new_ones(
    editor: Client, ledger: Ledger
) -> None:
    form = body(editor.get(f"/actors/{ledger.cpv.pk}/edit/"))
    assert 'value="Communist Party of Vietnam"' in form
    response = editor.post(
        f"/actors/{ledger.cpv.pk}/edit/",
        {
            "name": "Communist Party of Viet Nam",
            "kind": "party",
            "country": "VNM",
            "aliases": "CPV\nĐảng Cộng sản Việt Nam",
        },
    )
    assert response.status_code == 302
    ledger.cpv.refresh_from_db()
    assert ledger.cpv.name == "Communist Party of Viet Nam"
    assert {n.name for n in ledger.cpv.names.all()} == {"CPV", "Đảng Cộng sản Việt Nam"}
    assert AuditEntry.objects.filter(action="update_actor", object_id=str(ledger.cpv.pk))


def test_creating_and_renaming_a_mechanism(editor: Client, ledger: Ledger) -> None:
    response = editor.post(
        "/mechanisms/new/",
        {
            "name": "Africa Party Dialogue",
            "key": "africa-dialogue",
            "scope": "regional",
            "region": "Africa",
            "organizer": "ANC",
            "aliases": "APD",
        },
    )
    mechanism = Mechanism.objects.get(key="africa-dialogue")
    assert response.status_code == 302
    assert (mechanism.organizer, mechanism.aliases) == (ledger.anc, ["APD"])
    response = editor.post(
        f"/mechanisms/{mechanism.pk}/edit/",
        {"name": "African Parties Dialogue", "key": "africa-dialogue", "scope": "regional"},
    )
    assert response.status_code == 302
    mechanism.refresh_from_db()
    assert (mechanism.name, mechanism.organizer) == ("African Parties Dialogue", None)
    assert Mechanism.objects.count() == 2
    assert AuditEntry.objects.filter(action="update_mechanism", object_id=str(mechanism.pk))


def test_a_mechanism_name_is_unique(editor: Client, ledger: Ledger) -> None:
    response = editor.post(
        "/mechanisms/new/", {"name": "sco political parties forum", "scope": "regional"}
    )
    assert response.status_code == 400
    assert "exists already" in body(response)


def test_suggestions_find_counterparts_by_alias(editor: Client, ledger: Ledger) -> None:
    response = editor.get("/actors/suggest/?q=CPV")
    assert response.json()["results"] == [
        {"value": f"Communist Party of Vietnam [{ledger.cpv.pk}]", "detail": "party · Viet Nam"}
    ]
    assert editor.get("/actors/suggest/?q=C").json() == {"results": []}


def test_viewers_see_no_editing_buttons(logged_in: Client, ledger: Ledger, viewer: User) -> None:
    for url in (
        "/",
        "/exchanges/",
        f"/actors/{ledger.anc.pk}/",
        f"/exchanges/{ledger.meeting.pk}/",
    ):
        page = body(logged_in.get(url))
        assert "/exchanges/new/" not in page
        assert "/edit/" not in page
        assert "/review/" not in page
