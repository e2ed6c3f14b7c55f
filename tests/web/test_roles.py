"""Who may do what: every page that changes the ledger, for each role in each unit.

The units: the central department (root) above the Asia and Africa bureaux. The meeting was
recorded by Africa, the internal visit by Asia, the proposed exchange by nobody (ingest).
Expected: 200/302 allowed, 403 refused, 404 hidden (an internal record of another unit),
400 refused by the form (a unit the editor may not choose), "login" sent to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from liaison.domain.enums import ReviewStatus, UserRole
from liaison.ledger import actions
from liaison.ledger.models import Exchange
from tests.factories import make_user
from tests.web.conftest import Ledger, Proposed, body, exchange_post

pytestmark = pytest.mark.django_db

USERS = {
    "admin": ("africa", UserRole.ADMIN),
    "central_editor": ("central", UserRole.EDITOR),
    "africa_editor": ("africa", UserRole.EDITOR),
    "asia_editor": ("asia", UserRole.EDITOR),
    "central_viewer": ("central", UserRole.VIEWER),
    "africa_viewer": ("africa", UserRole.VIEWER),
    "anonymous": None,
}


@dataclass(frozen=True)
class Page:
    """A request to make, and the status each user gets."""

    name: str
    method: str
    url: Callable[[Ledger, Proposed], str]
    data: Callable[[Ledger, Proposed], dict[str, str]] | None
    expected: dict[str, int | str]


def _all(writers: int | str, viewers: int | str = 403) -> dict[str, int | str]:
    return {
        "admin": writers,
        "central_editor": writers,
        "africa_editor": writers,
        "asia_editor": writers,
        "central_viewer": viewers,
        "africa_viewer": viewers,
        "anonymous": "login",
    }


def _merge(ledger: Ledger, proposed: Proposed) -> str:
    merge = actions.merge_actors(ledger.swapo, proposed.actor)
    return f"/merges/{merge.pk}/undo/"


PAGES = [
    Page("new-exchange-form", "get", lambda led, p: "/exchanges/new/", None, _all(200)),
    Page(
        "record-exchange-for-africa",
        "post",
        lambda led, p: "/exchanges/new/",
        lambda led, p: exchange_post(led),
        {**_all(302), "asia_editor": 400},
    ),
    Page(
        "edit-africa-meeting",
        "get",
        lambda led, p: f"/exchanges/{led.meeting.pk}/edit/",
        None,
        {**_all(200), "asia_editor": 403},
    ),
    Page(
        "save-africa-meeting",
        "post",
        lambda led, p: f"/exchanges/{led.meeting.pk}/edit/",
        lambda led, p: exchange_post(led, date="2024-05-14", city="Durban"),
        {**_all(302), "asia_editor": 403},
    ),
    Page(
        "edit-asia-internal-visit",
        "get",
        lambda led, p: f"/exchanges/{led.secret.pk}/edit/",
        None,
        {**_all(200), "africa_editor": 404},
    ),
    Page(
        "reject-asia-internal-visit",
        "post",
        lambda led, p: f"/review/exchange/{led.secret.pk}/",
        lambda led, p: {"decision": "reject"},
        {**_all(302), "africa_editor": 404},
    ),
    Page("review-queue", "get", lambda led, p: "/review/", None, _all(200)),
    Page("review-counterparts", "get", lambda led, p: "/review/?kind=actor", None, _all(200)),
    Page(
        "accept-proposed-exchange",
        "post",
        lambda led, p: f"/review/exchange/{p.exchange.pk}/",
        lambda led, p: {"decision": "accept"},
        _all(302),
    ),
    Page(
        "accept-proposed-counterpart",
        "post",
        lambda led, p: f"/review/actor/{p.actor.pk}/",
        lambda led, p: {"decision": "accept"},
        _all(302),
    ),
    Page("new-counterpart-form", "get", lambda led, p: "/actors/new/", None, _all(200)),
    Page(
        "create-counterpart",
        "post",
        lambda led, p: "/actors/new/",
        lambda led, p: {"name": "Workers Party", "kind": "party"},
        _all(302),
    ),
    Page(
        "edit-counterpart",
        "post",
        lambda led, p: f"/actors/{led.anc.pk}/edit/",
        lambda led, p: {"name": "African National Congress", "kind": "party", "country": "ZAF"},
        _all(302),
    ),
    Page("new-mechanism-form", "get", lambda led, p: "/mechanisms/new/", None, _all(200)),
    Page(
        "edit-mechanism",
        "post",
        lambda led, p: f"/mechanisms/{led.mechanism.pk}/edit/",
        lambda led, p: {"name": "SCO Parties Forum", "scope": "regional"},
        _all(302),
    ),
    Page("merge-form", "get", lambda led, p: f"/actors/{p.actor.pk}/merge/", None, _all(200)),
    Page(
        "merge",
        "post",
        lambda led, p: f"/actors/{p.actor.pk}/merge/",
        lambda led, p: {"keep": f"SWAPO Party [{led.swapo.pk}]"},
        _all(302),
    ),
    Page("undo-merge", "post", _merge, lambda led, p: {}, _all(302)),
    Page(
        "suggest-counterparts", "get", lambda led, p: "/actors/suggest/?q=anc", None, _all(200, 200)
    ),
]


def _user(ledger: Ledger, who: str) -> User | None:
    spec = USERS[who]
    if spec is None:
        return None
    unit = {"central": ledger.central, "africa": ledger.africa, "asia": ledger.asia}[spec[0]]
    user: User = make_user(who, spec[1], unit)
    return user


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_role_and_unit_decide_what_a_user_may_do(
    client: Client, ledger: Ledger, proposed: Proposed, page: Page, who: str
) -> None:
    user = _user(ledger, who)
    if user is not None:
        client.force_login(user)
    url = page.url(ledger, proposed)
    before = {e.pk: (e.review_status, e.city) for e in Exchange.objects.all()}
    if page.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, page.data(ledger, proposed) if page.data else {})
    expected = page.expected[who]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code == expected, body(response)[:2000]
    if expected in (403, 404, "login") and page.method == "post":
        assert {e.pk: (e.review_status, e.city) for e in Exchange.objects.all()} == before


def test_a_refusal_explains_itself(client: Client, ledger: Ledger) -> None:
    client.force_login(make_user("asia_editor", UserRole.EDITOR, ledger.asia))
    page = body(client.get(f"/exchanges/{ledger.meeting.pk}/edit/"))
    assert "This exchange belongs to a unit you do not edit." in page


def test_an_editor_below_a_unit_is_not_an_editor_above_it(client: Client, ledger: Ledger) -> None:
    client.force_login(make_user("asia_editor", UserRole.EDITOR, ledger.asia))
    assert client.get(f"/exchanges/{ledger.call.pk}/edit/").status_code == 403  # central's
    client.post(f"/review/exchange/{ledger.call.pk}/", {"decision": "reject"})
    ledger.call.refresh_from_db()
    assert ledger.call.review_status == ReviewStatus.CONFIRMED


def test_the_queue_holds_only_what_the_editor_may_decide(
    client: Client, ledger: Ledger, proposed: Proposed
) -> None:
    actions.set_exchange_review_status(ledger.secret, ReviewStatus.PROPOSED)
    client.force_login(make_user("africa_editor", UserRole.EDITOR, ledger.africa))
    page = body(client.get("/review/"))
    assert f'id="item-{proposed.exchange.pk}"' in page
    assert f'id="item-{ledger.secret.pk}"' not in page
    client.force_login(make_user("asia_editor", UserRole.EDITOR, ledger.asia))
    assert f'id="item-{ledger.secret.pk}"' in body(client.get("/review/"))


def test_the_unit_choices_are_the_editors_unit_and_those_below(
    client: Client, ledger: Ledger
) -> None:
    client.force_login(make_user("africa_editor", UserRole.EDITOR, ledger.africa))
    page = body(client.get("/exchanges/new/"))
    units = page.split('name="unit"')[1].split("</select>")[0]
    assert f'<option value="{ledger.africa.pk}"' in units
    assert f'<option value="{ledger.asia.pk}"' not in units
    assert f'<option value="{ledger.central.pk}"' not in units
