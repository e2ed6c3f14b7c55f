"""The JSON API: tokens, every list with its filters and pages, details, writes and permissions.

The test ledger's internal exchange was recorded by the Asia bureau; the Africa bureau is its
sibling and must not learn of it from any endpoint.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from liaison.domain.enums import ReviewStatus, UserRole
from liaison.ledger import actions
from liaison.ledger.models import Actor, AuditEntry, Claim, Exchange
from liaison.web.apitokens.models import ApiToken
from liaison.web.apitokens.tokens import create_token, revoke_token
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import SECRET, SECRET_SOURCE_TEXT, Ledger, body

pytestmark = pytest.mark.django_db


class Api:
    """A client that calls the API with a bearer token and reads JSON."""

    def __init__(self, user: User | None = None, token: str | None = None) -> None:
        self.client = Client()
        self.token = token or (create_token(user, "test", actions.SYSTEM)[1] if user else "")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        """GET a path; return the response."""
        return self.client.get(f"/api{path}", params, headers=self._headers())

    def send(self, method: str, path: str, data: Any) -> Any:
        """POST or PATCH a JSON body; return the response."""
        call = getattr(self.client, method)
        return call(
            f"/api{path}",
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(),
        )

    def json(self, path: str, **params: Any) -> Any:
        """GET a path that must answer 200; return its JSON."""
        response = self.get(path, **params)
        assert response.status_code == 200, response.content
        return response.json()


def _user(ledger: Ledger, role: UserRole, unit: str) -> User:
    user: User = make_user(f"{unit}_{role}", role, getattr(ledger, unit))
    return user


@pytest.fixture
def viewer_api(viewer: User) -> Api:
    """The API as the viewer of the Africa bureau."""
    return Api(viewer)


@pytest.fixture
def editor_api(ledger: Ledger) -> Api:
    """The API as an editor of the Africa bureau."""
    return Api(_user(ledger, UserRole.EDITOR, "africa"))


def _ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


def _new_exchange(ledger: Ledger, **values: Any) -> dict[str, Any]:
    return {
        "type": "meeting",
        "date": "2024-07",
        "channel": "video",
        "participants": [
            {"actor_id": ledger.anc.pk, "role": "host"},
            {"actor_id": ledger.swapo.pk, "role": "guest"},
        ],
        "summary": "ANC and SWAPO discussed youth exchanges.",
        **values,
    }


# Authentication


@pytest.mark.parametrize(
    "path", ["/exchanges/", "/actors/", "/mechanisms/", "/sources/", "/claims/", "/exchanges/1"]
)
def test_api_refuses_anonymous_callers_with_401(ledger: Ledger, path: str) -> None:
    response = Api().get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_anonymous_writes_get_401_and_save_nothing(ledger: Ledger) -> None:
    before = Exchange.objects.count()
    assert Api().send("post", "/exchanges/", _new_exchange(ledger)).status_code == 401
    assert Exchange.objects.count() == before


def test_a_token_opens_the_api_and_records_its_use(viewer: User, ledger: Ledger) -> None:
    row, secret = create_token(viewer, "script", actions.SYSTEM)
    assert secret.startswith("lia_")
    assert Api(token=secret).json("/exchanges/")["count"] == 2
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_token_is_stored_only_as_its_sha256(viewer: User) -> None:
    row, secret = create_token(viewer, "script", actions.SYSTEM)
    assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    entry = AuditEntry.objects.get(action="create_api_token")
    assert secret not in json.dumps(entry.after) and "key_hash" not in entry.after


@pytest.mark.parametrize("header", ["Bearer lia_wrong", "Token abc", "Bearer "])
def test_a_wrong_token_gets_401(viewer: User, ledger: Ledger, header: str) -> None:
    response = Client().get("/api/exchanges/", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_revoked_token_or_an_inactive_user_gets_401(viewer: User, ledger: Ledger) -> None:
    row, secret = create_token(viewer, "script", actions.SYSTEM)
    revoke_token(row, actions.SYSTEM)
    assert Api(token=secret).get("/exchanges/").status_code == 401
    _, other = create_token(viewer, "other", actions.SYSTEM)
    viewer.is_active = False
    viewer.save()
    assert Api(token=other).get("/exchanges/").status_code == 401


def test_a_logged_in_browser_reads_with_its_session(logged_in: Client, ledger: Ledger) -> None:
    response = logged_in.get("/api/exchanges/")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_a_session_write_needs_the_csrf_token(ledger: Ledger) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(_user(ledger, UserRole.EDITOR, "africa"))
    data = json.dumps(_new_exchange(ledger))
    refused = client.post("/api/exchanges/", data, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/api/docs")  # the docs page sets the CSRF cookie, as a page would
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/exchanges/", data, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201, accepted.content


# Exchanges: list, filters, pages, detail, export


def test_exchange_list_pages_with_count_and_links(editor_api: Api, ledger: Ledger) -> None:
    first = editor_api.json("/exchanges/", limit=1)
    assert first["count"] == 2 and first["limit"] == 1 and first["offset"] == 0
    assert _ids(first) == [ledger.meeting.pk]  # newest first, like the page
    assert first["previous"] is None
    assert first["next"] == "/api/exchanges/?limit=1&offset=1"
    second = editor_api.json("/exchanges/", limit=1, offset=1)
    assert _ids(second) == [ledger.call.pk] and second["next"] is None
    assert second["previous"] == "/api/exchanges/?limit=1&offset=0"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Pretoria"}, ["meeting"]),
        ({"q": "CPV"}, ["meeting", "call"]),
        ({"q": "Fikile"}, ["meeting"]),
        ({"type": "call"}, ["call"]),
        ({"channel": "in_person"}, ["meeting"]),
        ({"country": "ZAF"}, ["meeting"]),
        ({"year": 2023}, ["call"]),
        ({"unit": "central.africa"}, ["meeting"]),
        ({"review_status": "confirmed"}, ["meeting", "call"]),
        ({"review_status": "proposed"}, []),
        ({"sort": "date"}, ["call", "meeting"]),
    ],
)
def test_exchange_list_filters_like_the_page(
    editor_api: Api, ledger: Ledger, params: dict[str, Any], expected: list[str]
) -> None:
    page = editor_api.json("/exchanges/", **params)
    assert _ids(page) == [getattr(ledger, name).pk for name in expected]
    assert page["count"] == len(expected)


def test_exchange_list_filters_by_mechanism_and_counterpart(
    editor_api: Api, ledger: Ledger
) -> None:
    assert _ids(editor_api.json("/exchanges/", mechanism=ledger.mechanism.pk)) == [ledger.call.pk]
    assert _ids(editor_api.json("/exchanges/", actor=ledger.anc.pk)) == [ledger.meeting.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "picnic"},
        {"year": "last"},
        {"limit": 0},
        {"limit": 501},
        {"offset": -1},
        {"sort": "x"},
    ],
)
def test_exchange_list_refuses_bad_filters_with_422(
    editor_api: Api, ledger: Ledger, params: dict[str, Any]
) -> None:
    response = editor_api.get("/exchanges/", **params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == next(iter(params))


def test_exchange_detail_has_participants_people_and_evidence(
    editor_api: Api, ledger: Ledger
) -> None:
    exchange = editor_api.json(f"/exchanges/{ledger.meeting.pk}")
    assert exchange["date"] == "2024-05-14" and exchange["date_precision"] == "day"
    assert exchange["country"] == "ZAF" and exchange["unit"] == "central.africa"
    assert [(p["actor"]["name"], p["role"]) for p in exchange["participants"]] == [
        ("African National Congress", "host"),
        ("Communist Party of Vietnam", "guest"),
    ]
    assert exchange["people"] == [
        {
            "name": "Fikile Mbalula",
            "role": "Secretary-General",
            "org": {"id": ledger.anc.pk, "name": "African National Congress"},
        }
    ]
    [evidence] = exchange["evidence"]
    assert evidence["source_id"] == ledger.source.pk and evidence["confidence"] == 0.9
    call = editor_api.json(f"/exchanges/{ledger.call.pk}")
    assert call["date"] == "2023-06" and call["mechanism"]["id"] == ledger.mechanism.pk
    assert call["edition"]["name"] == "Fifth SCO Political Parties Forum"


def test_unknown_exchange_is_404(editor_api: Api, ledger: Ledger) -> None:
    assert editor_api.get("/exchanges/999999").status_code == 404


@pytest.mark.parametrize("resource", ["exchanges", "actors", "mechanisms", "sources", "claims"])
def test_every_list_exports_as_csv_and_json(editor_api: Api, ledger: Ledger, resource: str) -> None:
    actions.record_claim(600, "political parties", "more than")
    as_csv = editor_api.get(f"/{resource}/export", format="csv")
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(as_csv))))
    as_json = editor_api.get(f"/{resource}/export", format="json")
    assert as_json["Content-Type"].startswith("application/json")
    assert len(json.loads(body(as_json))) == len(rows) > 0
    assert {r["id"] for r in rows} == {
        str(i["id"]) for i in editor_api.json(f"/{resource}/")["items"]
    }


def test_export_follows_the_filters(editor_api: Api, ledger: Ledger) -> None:
    rows = json.loads(body(editor_api.get("/exchanges/export", format="json", type="call")))
    assert [row["id"] for row in rows] == [ledger.call.pk]


# Who sees the internal exchange


def test_internal_exchange_is_hidden_from_a_sibling_unit(viewer_api: Api, ledger: Ledger) -> None:
    assert ledger.secret.pk not in _ids(viewer_api.json("/exchanges/"))
    assert viewer_api.json("/exchanges/", q="confidential")["count"] == 0
    assert viewer_api.get(f"/exchanges/{ledger.secret.pk}").status_code == 404
    assert SECRET not in body(viewer_api.get("/exchanges/export", format="csv"))
    assert SECRET_SOURCE_TEXT not in json.dumps(viewer_api.json("/sources/"))
    assert viewer_api.get(f"/sources/{ledger.secret_source.pk}").status_code == 404
    lprp = viewer_api.json(f"/actors/{ledger.lprp.pk}")
    assert lprp["exchange_count"] == 0 and lprp["last_contact"] is None


@pytest.mark.parametrize(("role", "unit"), [("editor", "asia"), ("viewer", "central")])
def test_internal_exchange_is_seen_by_its_unit_and_above(
    ledger: Ledger, role: str, unit: str
) -> None:
    api = Api(_user(ledger, UserRole(role), unit))
    assert ledger.secret.pk in _ids(api.json("/exchanges/"))
    assert api.json(f"/exchanges/{ledger.secret.pk}")["summary"] == SECRET
    assert api.json(f"/sources/{ledger.secret_source.pk}")["text"] == SECRET_SOURCE_TEXT


# Counterparts, mechanisms, sources, claims


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "CPV"}, ["cpv"]),
        ({"q": "ANC"}, ["anc", "organ"]),
        ({"kind": "party_organ"}, ["organ"]),
        ({"country": "NAM"}, ["swapo"]),
        ({"region": "Asia"}, ["cpv", "lprp"]),
        ({"family": "social_democracy"}, ["anc"]),
    ],
)
def test_actor_list_filters_like_the_page(
    viewer_api: Api, ledger: Ledger, params: dict[str, Any], expected: list[str]
) -> None:
    page = viewer_api.json("/actors/", **params)
    assert sorted(_ids(page)) == sorted(getattr(ledger, name).pk for name in expected)


def test_actor_list_pages_and_leaves_out_merged_actors(viewer_api: Api, ledger: Ledger) -> None:
    whole = viewer_api.json("/actors/")
    assert whole["count"] == 5
    assert [i["name"] for i in whole["items"]] == sorted(i["name"] for i in whole["items"])
    duplicate = make_actor("SWAPO (duplicate)", country="NAM")
    actions.merge_actors(ledger.swapo, duplicate)
    assert viewer_api.json("/actors/")["count"] == 5
    assert viewer_api.json(f"/actors/{duplicate.pk}")["merged_into"]["id"] == ledger.swapo.pk
    assert _ids(viewer_api.json("/actors/", limit=2, offset=4)) == [whole["items"][4]["id"]]


def test_actor_detail_has_names_ids_statuses_and_figures(viewer_api: Api, ledger: Ledger) -> None:
    anc = viewer_api.json(f"/actors/{ledger.anc.pk}")
    assert {(n["name"], n["name_type"]) for n in anc["names"]} >= {("ANC", "abbreviation")}
    assert anc["external_ids"] == [
        {"scheme": "wikidata", "value": "Q83162", "url": "https://www.wikidata.org/wiki/Q83162"}
    ]
    assert anc["statuses"][0]["status"] == "ruling"
    assert anc["exchange_count"] == 1 and anc["last_contact"] == "2024-05-14"
    organ = viewer_api.json(f"/actors/{ledger.organ.pk}")
    assert organ["parent"] == {"id": ledger.anc.pk, "name": "African National Congress"}
    assert viewer_api.get("/actors/999999").status_code == 404


def test_mechanism_list_and_detail(viewer_api: Api, ledger: Ledger) -> None:
    actions.upsert_mechanism({"name": "Silk Road Think Tank Association", "scope": "global"})
    assert viewer_api.json("/mechanisms/")["count"] == 2
    [sco] = viewer_api.json("/mechanisms/", q="SCO Forum")["items"]
    assert sco["id"] == ledger.mechanism.pk and sco["exchange_count"] == 1
    assert sco["edition_count"] == 1
    assert viewer_api.json("/mechanisms/", scope="global")["count"] == 1
    detail = viewer_api.json(f"/mechanisms/{ledger.mechanism.pk}")
    assert detail["editions"][0]["date"] == "2023-06"
    assert detail["editions"][0]["exchange_count"] == 1
    assert viewer_api.get("/mechanisms/999999").status_code == 404


def test_source_list_filters_and_detail(viewer_api: Api, ledger: Ledger) -> None:
    assert _ids(viewer_api.json("/sources/")) == [ledger.source.pk]
    assert viewer_api.json("/sources/", outlet="Pretoria News")["count"] == 1
    assert viewer_api.json("/sources/", year=2023)["count"] == 0
    assert viewer_api.json("/sources/", q="governance")["count"] == 1
    source = viewer_api.json(f"/sources/{ledger.source.pk}")
    assert source["text"].startswith("Pretoria, 15 May 2024.")
    assert [span["exchange_id"] for span in source["evidence"]] == [ledger.meeting.pk]


def test_claim_list_filters_and_detail(viewer_api: Api, ledger: Ledger) -> None:
    stated = actions.record_claim(
        600,
        "political parties",
        "more than",
        evidence=actions.EvidenceInput(_source(ledger), "600 parties"),
    )
    actions.record_claim(1500, "congratulatory messages", review_status=ReviewStatus.PROPOSED)
    assert viewer_api.json("/claims/")["count"] == 2
    assert _ids(viewer_api.json("/claims/", q="parties")) == [stated.pk]
    assert viewer_api.json("/claims/", review_status="proposed")["count"] == 1
    assert _ids(viewer_api.json("/claims/", source=ledger.source.pk)) == [stated.pk]
    claim = viewer_api.json(f"/claims/{stated.pk}")
    assert claim["value"] == 600 and claim["qualifier"] == "more than"
    assert claim["evidence"][0]["text"] == "600 parties"


def _source(ledger: Ledger) -> actions.SourceInput:
    source = ledger.source
    return actions.SourceInput(url=source.url, text=source.text)


def test_claims_of_a_hidden_source_are_hidden(viewer_api: Api, ledger: Ledger) -> None:
    secret = ledger.secret_source
    claim = actions.record_claim(
        3,
        "cadre training sessions",
        evidence=actions.EvidenceInput(actions.SourceInput(text=secret.text), "three sessions"),
    )
    assert claim.source_id == secret.pk
    assert viewer_api.json("/claims/")["count"] == 0
    assert viewer_api.get(f"/claims/{claim.pk}").status_code == 404


# Writes: create, change, review; validation; audit


def test_editor_records_an_exchange_for_their_unit(editor_api: Api, ledger: Ledger) -> None:
    evidence = {
        "source": {"url": "https://example.org/youth", "text": "ANC and SWAPO met on youth."},
        "text": "ANC and SWAPO met on youth.",
        "start": 0,
        "end": 27,
    }
    response = editor_api.send(
        "post",
        "/exchanges/",
        _new_exchange(
            ledger, people=[{"name": " Sophia Shaningwa ", "role": "SG"}], evidence=[evidence]
        ),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["unit"] == "central.africa"  # the caller's unit by default
    assert created["date"] == "2024-07" and created["date_precision"] == "month"
    assert created["people"][0]["name"] == "Sophia Shaningwa"
    assert created["evidence"][0]["text"] == "ANC and SWAPO met on youth."
    entry = AuditEntry.objects.get(action="record_exchange", object_id=str(created["id"]))
    assert entry.via == "api" and entry.user is not None
    assert entry.user.username == "africa_editor"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2024-13-01"}, "date"),
        ({"date": "last week"}, "date"),
        ({"participants": []}, "participants"),
        ({"type": "picnic"}, "type"),
        ({"visibility": "secret"}, "visibility"),
        ({"colour": "red"}, "colour"),
        ({"participants": [{"actor_id": "x"}]}, "actor_id"),
    ],
)
def test_invalid_exchange_is_refused_with_422_and_nothing_saved(
    editor_api: Api, ledger: Ledger, change: dict[str, Any], field: str
) -> None:
    before = (Exchange.objects.count(), AuditEntry.objects.count())
    response = editor_api.send("post", "/exchanges/", _new_exchange(ledger, **change))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(field in error["loc"] for error in errors), errors
    assert all(error["msg"] for error in errors)
    assert (Exchange.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"country": "XYZ"}, "'XYZ' is not a known country"),
        ({"participants": [{"actor_id": 999999}]}, "there is no counterpart with id 999999"),
        ({"mechanism_id": 999999}, "there is no mechanism with id 999999"),
        ({"unit": "nowhere"}, "no unit has the code 'nowhere'"),
        ({"date": "2024-07-10", "end_date": "2024-07-01"}, "is before the date"),
    ],
)
def test_unknown_references_are_refused_with_400_and_nothing_saved(
    editor_api: Api, ledger: Ledger, change: dict[str, Any], message: str
) -> None:
    before = (Exchange.objects.count(), AuditEntry.objects.count())
    response = editor_api.send("post", "/exchanges/", _new_exchange(ledger, **change))
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert (Exchange.objects.count(), AuditEntry.objects.count()) == before


def test_editor_changes_an_exchange_with_patch(editor_api: Api, ledger: Ledger) -> None:
    response = editor_api.send(
        "patch",
        f"/exchanges/{ledger.meeting.pk}",
        {
            "summary": "Corrected summary.",
            "participants": [{"actor_id": ledger.anc.pk, "role": "host"}],
        },
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["summary"] == "Corrected summary."
    assert [p["actor"]["id"] for p in changed["participants"]] == [ledger.anc.pk]
    assert changed["city"] == "Pretoria" and changed["people"]  # what was left out stays
    entry = AuditEntry.objects.get(action="update_exchange", object_id=str(ledger.meeting.pk))
    assert entry.via == "api" and entry.before["summary"] != entry.after["summary"]


@pytest.mark.parametrize(
    ("change", "status"),
    [({"type": None}, 422), ({"summary": "x", "colour": 1}, 422), ({"country": "XYZ"}, 400)],
)
def test_invalid_patch_saves_nothing(
    editor_api: Api, ledger: Ledger, change: dict[str, Any], status: int
) -> None:
    before = AuditEntry.objects.count()
    response = editor_api.send("patch", f"/exchanges/{ledger.meeting.pk}", change)
    assert response.status_code == status, response.content
    ledger.meeting.refresh_from_db()
    assert ledger.meeting.summary.startswith("The ANC received")
    assert AuditEntry.objects.count() == before


def test_editor_adds_and_changes_a_counterpart(editor_api: Api, ledger: Ledger) -> None:
    response = editor_api.send(
        "post",
        "/actors/",
        {
            "name": "  Frelimo  ",
            "kind": "party",
            "country": "ZAF",
            "names": [{"name": "FRELIMO", "name_type": "abbreviation"}],
            "external_ids": [{"scheme": "wikidata", "value": "Q1"}],
        },
    )
    assert response.status_code == 201, response.content
    actor = response.json()
    assert actor["name"] == "Frelimo" and actor["names"][0]["name"] == "FRELIMO"
    patched = editor_api.send(
        "patch", f"/actors/{actor['id']}", {"family": "socialist", "parent_id": ledger.anc.pk}
    )
    assert patched.status_code == 200, patched.content
    assert (
        patched.json()["family"] == "socialist" and patched.json()["parent"]["id"] == ledger.anc.pk
    )
    vias = set(
        AuditEntry.objects.filter(object_type="Actor", object_id=str(actor["id"])).values_list(
            "via", flat=True
        )
    )
    assert vias == {"api"}


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"name": "   ", "kind": "party"}, 422, "at least 1 character"),
        ({"name": "X", "kind": "club"}, 422, "Input should be"),
        ({"name": "X", "kind": "party", "country": "XYZ"}, 400, "not a known ISO 3166"),
        (
            {
                "name": "X",
                "kind": "party",
                "external_ids": [{"scheme": "wikidata", "value": "Q83162"}],
            },
            409,
            "already belong",
        ),
    ],
)
def test_invalid_counterpart_is_refused_and_nothing_saved(
    editor_api: Api, ledger: Ledger, data: dict[str, Any], status: int, message: str
) -> None:
    before = Actor.objects.count()
    response = editor_api.send("post", "/actors/", data)
    assert response.status_code == status, response.content
    assert message in json.dumps(response.json())
    assert Actor.objects.count() == before


def test_counterpart_cannot_become_its_own_parent_or_nameless(
    editor_api: Api, ledger: Ledger
) -> None:
    own = editor_api.send("patch", f"/actors/{ledger.anc.pk}", {"parent_id": ledger.anc.pk})
    assert own.status_code == 400
    nameless = editor_api.send("patch", f"/actors/{ledger.anc.pk}", {"name": None})
    assert nameless.status_code == 422
    ledger.anc.refresh_from_db()
    assert ledger.anc.parent is None and ledger.anc.name == "African National Congress"


def test_editor_adds_and_changes_a_mechanism(editor_api: Api, ledger: Ledger) -> None:
    response = editor_api.send(
        "post",
        "/mechanisms/",
        {
            "name": "BRICS Political Parties Forum",
            "key": "brics-forum",
            "scope": "multilateral",
            "organizer_id": ledger.anc.pk,
            "aliases": ["BRICS Forum", " "],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["organizer"]["id"] == ledger.anc.pk and created["aliases"] == ["BRICS Forum"]
    renamed = editor_api.send(
        "patch",
        f"/mechanisms/{created['id']}",
        {"name": "BRICS Parties Forum", "organizer_id": None},
    )
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["name"] == "BRICS Parties Forum" and renamed.json()["organizer"] is None
    entries = AuditEntry.objects.filter(object_type="Mechanism", object_id=str(created["id"]))
    assert {e.via for e in entries} == {"api"} and entries.count() == 2


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"name": "sco political parties forum"}, 409),
        ({"key": "sco-parties-forum"}, 409),
        ({"key": "not a slug"}, 422),
        ({"scope": None}, 422),
        ({"organizer_id": 999999}, 400),
    ],
)
def test_invalid_mechanism_change_saves_nothing(
    editor_api: Api, ledger: Ledger, data: dict[str, Any], status: int
) -> None:
    other, _ = actions.upsert_mechanism({"name": "Other Forum", "scope": "global"})
    before = AuditEntry.objects.count()
    response = editor_api.send("patch", f"/mechanisms/{other.pk}", data)
    assert response.status_code == status, response.content
    assert AuditEntry.objects.count() == before


def test_editor_records_a_claim(editor_api: Api, ledger: Ledger) -> None:
    response = editor_api.send(
        "post",
        "/claims/",
        {
            "value": 160,
            "subject": "countries",
            "qualifier": "more than",
            "as_of": "2024-01-01",
            "evidence": {"source": {"text": "Contacts in more than 160 countries."}, "text": "160"},
        },
    )
    assert response.status_code == 201, response.content
    claim = response.json()
    assert claim["value"] == 160 and claim["source_id"] is not None
    assert AuditEntry.objects.get(action="record_claim", object_id=str(claim["id"])).via == "api"
    invalid = editor_api.send("post", "/claims/", {"value": "many", "subject": ""})
    assert invalid.status_code == 422
    assert Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "path"), [("exchange", "exchanges"), ("actor", "actors"), ("claim", "claims")]
)
@pytest.mark.parametrize(("decision", "status"), [("accept", "confirmed"), ("reject", "rejected")])
def test_review_decisions_for_each_kind(
    editor_api: Api, ledger: Ledger, kind: str, path: str, decision: str, status: str
) -> None:
    proposed = ReviewStatus.PROPOSED
    record = {
        "exchange": lambda: make_exchange(ledger.anc, ledger.cpv, review_status=proposed),
        "actor": lambda: make_actor("Proposed Party", review_status=proposed),
        "claim": lambda: actions.record_claim(5, "visits", review_status=proposed),
    }[kind]()
    response = editor_api.send("post", f"/{path}/{record.pk}/review", {"decision": decision})
    assert response.status_code == 200, response.content
    assert response.json()["review_status"] == status
    entry = AuditEntry.objects.get(action=f"review_{kind}", object_id=str(record.pk))
    assert entry.via == "api" and entry.after["review_status"] == status
    bad = editor_api.send("post", f"/{path}/{record.pk}/review", {"decision": "maybe"})
    assert bad.status_code == 422


# The permission matrix: role by unit by write


ALLOWED, REFUSED, HIDDEN = 200, 403, 404

# Per user (role, unit): patching the Africa meeting, the central call, the Asia internal visit.
MATRIX = {
    ("viewer", "africa"): (REFUSED, REFUSED, HIDDEN),
    ("viewer", "central"): (REFUSED, REFUSED, REFUSED),
    ("editor", "africa"): (ALLOWED, REFUSED, HIDDEN),
    ("editor", "asia"): (REFUSED, REFUSED, ALLOWED),
    ("editor", "central"): (ALLOWED, ALLOWED, ALLOWED),
    ("admin", "africa"): (ALLOWED, ALLOWED, ALLOWED),
}


@pytest.mark.parametrize(("who", "expected"), MATRIX.items(), ids=lambda v: str(v))
def test_who_may_change_which_exchange(
    ledger: Ledger, who: tuple[str, str], expected: tuple[int, int, int]
) -> None:
    api = Api(_user(ledger, UserRole(who[0]), who[1]))
    targets = (ledger.meeting, ledger.call, ledger.secret)
    for exchange, status in zip(targets, expected, strict=True):
        response = api.send("patch", f"/exchanges/{exchange.pk}", {"outcomes": "Checked."})
        assert response.status_code == status, (exchange.summary, response.content)
        review = api.send("post", f"/exchanges/{exchange.pk}/review", {"decision": "accept"})
        assert review.status_code == status
        exchange.refresh_from_db()
        assert (exchange.outcomes == "Checked.") == (status == ALLOWED)


# Per user: recording an exchange for the Africa bureau, for the Asia bureau, for central.
CREATE_MATRIX = {
    ("viewer", "central"): (REFUSED, REFUSED, REFUSED),
    ("editor", "africa"): (201, REFUSED, REFUSED),
    ("editor", "asia"): (REFUSED, 201, REFUSED),
    ("editor", "central"): (201, 201, 201),
    ("admin", "asia"): (201, 201, 201),
}


@pytest.mark.parametrize(("who", "expected"), CREATE_MATRIX.items(), ids=lambda v: str(v))
def test_who_may_record_for_which_unit(
    ledger: Ledger, who: tuple[str, str], expected: tuple[int, int, int]
) -> None:
    api = Api(_user(ledger, UserRole(who[0]), who[1]))
    for unit, status in zip(("central.africa", "central.asia", "central"), expected, strict=True):
        before = Exchange.objects.count()
        response = api.send("post", "/exchanges/", _new_exchange(ledger, unit=unit))
        assert response.status_code == status, (unit, response.content)
        assert Exchange.objects.count() == before + (status == 201)


def test_an_editor_may_not_move_an_exchange_to_another_unit(
    editor_api: Api, ledger: Ledger
) -> None:
    response = editor_api.send("patch", f"/exchanges/{ledger.meeting.pk}", {"unit": "central"})
    assert response.status_code == 403
    ledger.meeting.refresh_from_db()
    assert ledger.meeting.unit == ledger.africa


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/actors/", {"name": "New Party", "kind": "party"}),
        ("patch", "/actors/{anc}", {"family": "x"}),
        ("post", "/actors/{anc}/review", {"decision": "reject"}),
        ("post", "/claims/", {"value": 1, "subject": "visits"}),
        ("post", "/mechanisms/", {"name": "New Forum", "scope": "global"}),
        ("patch", "/mechanisms/{sco}", {"region": "Asia"}),
    ],
)
def test_viewers_may_not_write_the_registry_or_claims(
    viewer_api: Api, ledger: Ledger, method: str, path: str, data: dict[str, Any]
) -> None:
    before = AuditEntry.objects.count()
    target = path.format(anc=ledger.anc.pk, sco=ledger.mechanism.pk)
    response = viewer_api.send(method, target, data)
    assert response.status_code == 403
    assert AuditEntry.objects.count() == before


def test_writes_to_an_invisible_exchange_are_404_not_403(viewer_api: Api, ledger: Ledger) -> None:
    for method, path, data in [
        ("patch", f"/exchanges/{ledger.secret.pk}", {"summary": "x"}),
        ("post", f"/exchanges/{ledger.secret.pk}/review", {"decision": "reject"}),
    ]:
        assert viewer_api.send(method, path, data).status_code == 404


# The OpenAPI description and the docs page

ENDPOINTS = (
    {
        (f"/api/{resource}{suffix}", method)
        for resource in ("exchanges", "actors", "mechanisms", "sources", "claims")
        for suffix, method in [("/", "get"), ("/export", "get"), ("/{pk}", "get")]
    }
    | {
        (f"/api/{resource}{suffix}", method)
        for resource in ("exchanges", "actors", "claims")
        for suffix, method in [("/", "post"), ("/{pk}/review", "post")]
    }
    | {(f"/api/{resource}/{{pk}}", "patch") for resource in ("exchanges", "actors", "mechanisms")}
    | {("/api/mechanisms/", "post")}
)


def test_openapi_document_lists_every_endpoint(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    listed = {(path, method) for path, item in document["paths"].items() for method in item}
    assert listed == ENDPOINTS
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    listing = document["paths"]["/api/exchanges/"]["get"]
    params = {p["name"] for p in listing["parameters"]}
    assert params >= {"q", "type", "channel", "country", "year", "mechanism", "unit"}
    assert params >= {"review_status", "actor", "sort", "limit", "offset"}


def test_docs_page_works_without_the_internet(client: Client) -> None:
    page = body(client.get("/api/docs"))
    assert "/api/openapi.json" in page
    assert "http://" not in page and "https://" not in page  # nothing from a CDN
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"):
        assert f"/api/docs/assets/{asset}" in page
        response = client.get(f"/api/docs/assets/{asset}")
        assert response.status_code == 200
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        response.close()
    assert client.get("/api/docs/assets/settings.py").status_code == 404
