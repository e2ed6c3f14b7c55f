"""Who sees an internal exchange: its unit, the units above it and superusers; nobody else.

The internal exchange of the test ledger was recorded by the Asia bureau. The viewer of the
Africa bureau (a sibling unit) must not learn of it from any page, count or download.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from liaison.domain.enums import UserRole
from liaison.web.access import can_see_exchange, visible_exchanges, visible_units
from tests.factories import make_unit, make_user
from tests.web.conftest import SECRET, SECRET_SOURCE_TEXT, Ledger, body, json_rows

pytestmark = pytest.mark.django_db


def _client_for(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def asia_member(ledger: Ledger) -> User:
    """An editor of the unit that recorded the internal exchange."""
    user: User = make_user("asia_editor", UserRole.EDITOR, ledger.asia)
    return user


@pytest.fixture
def root_member(ledger: Ledger) -> User:
    """A viewer of the central department, the root unit."""
    user: User = make_user("central_viewer", UserRole.VIEWER, ledger.central)
    return user


@pytest.fixture
def superuser(ledger: Ledger) -> User:
    """An administrator who belongs to the sibling unit but, as a superuser, sees all."""
    user: User = make_user("boss", UserRole.ADMIN, ledger.africa)
    return user


@pytest.fixture(params=["asia_member", "root_member", "superuser"])
def insider(request: pytest.FixtureRequest) -> User:
    """Each user who may see the internal exchange."""
    user: User = request.getfixturevalue(request.param)
    return user


def test_visible_units_of_a_unit_are_itself_and_the_units_below(ledger: Ledger) -> None:
    below = make_unit("central.asia.vietnam", ledger.asia)
    user = make_user("asia_lead", UserRole.EDITOR, ledger.asia)
    assert visible_units(user) == frozenset({ledger.asia.pk, below.pk})


def test_a_user_object_reads_its_units_once(ledger: Ledger, django_assert_num_queries: Any) -> None:
    user = make_user("asia_lead", UserRole.EDITOR, ledger.asia)
    asked = User.objects.get(pk=user.pk)  # as a request loads its user
    first = visible_units(asked)
    with django_assert_num_queries(0):
        assert visible_units(asked) == first
    below = make_unit("central.asia.laos", ledger.asia)
    assert below.pk in (visible_units(User.objects.get(pk=user.pk)) or ())  # the next request


def test_root_members_and_superusers_see_every_unit(root_member: User, superuser: User) -> None:
    assert visible_units(root_member) is None
    assert visible_units(superuser) is None


def test_a_unit_below_the_recording_unit_does_not_see_its_internal_exchange(
    ledger: Ledger,
) -> None:
    below = make_unit("central.asia.vietnam", ledger.asia)
    user = make_user("vietnam_desk", UserRole.VIEWER, below)
    assert not can_see_exchange(user, ledger.secret)
    assert ledger.secret not in visible_exchanges(user)
    assert can_see_exchange(user, ledger.meeting)


def test_sibling_unit_does_not_see_the_internal_exchange(logged_in: Client, ledger: Ledger) -> None:
    assert SECRET not in body(logged_in.get("/exchanges/"))
    assert SECRET not in body(logged_in.get("/exchanges/?q=confidential"))
    assert "<strong>2</strong> exchanges" in body(logged_in.get("/exchanges/"))
    assert logged_in.get(f"/exchanges/{ledger.secret.pk}/").status_code == 404


def test_sibling_unit_does_not_count_the_internal_exchange(
    logged_in: Client, ledger: Ledger
) -> None:
    dashboard = body(logged_in.get("/"))
    assert '<span class="value">3</span><span class="what">counterparts in contact' in dashboard
    assert "?year=2022" not in dashboard
    exchanges = body(logged_in.get("/exchanges/"))
    assert '<span class="facet-label">visit</span>' not in exchanges
    assert '<span class="facet-label">2022</span>' not in exchanges
    assert f'<a href="/exchanges/?actor={ledger.cpv.pk}">2</a>' in body(logged_in.get("/actors/"))
    assert '<a href="/exchanges/?country=VNM">' not in body(logged_in.get("/countries/"))
    cpv_page = body(logged_in.get(f"/actors/{ledger.cpv.pk}/"))
    assert '<span class="value">2</span><span class="what">exchanges' in cpv_page
    assert "Lao People&#x27;s Revolutionary Party" not in cpv_page  # met only in secret
    lprp_page = body(logged_in.get(f"/actors/{ledger.lprp.pk}/"))
    assert '<span class="value">0</span><span class="what">exchanges' in lprp_page


def test_sibling_unit_does_not_download_the_internal_exchange(
    logged_in: Client, ledger: Ledger
) -> None:
    rows = list(csv.DictReader(io.StringIO(body(logged_in.get("/exchanges/?format=csv")))))
    assert {row["id"] for row in rows} == {str(ledger.meeting.pk), str(ledger.call.pk)}
    assert ledger.secret.pk not in {
        row["id"] for row in json_rows(logged_in.get("/exchanges/?format=json"))
    }
    sources = json_rows(logged_in.get("/sources/?format=json"))
    assert ledger.secret_source.pk not in {row["id"] for row in sources}


def test_sibling_unit_does_not_see_the_source_only_the_internal_exchange_cites(
    logged_in: Client, ledger: Ledger
) -> None:
    assert "Internal note on Hanoi talks" not in body(logged_in.get("/sources/"))
    assert logged_in.get(f"/sources/{ledger.secret_source.pk}/").status_code == 404


def test_sibling_unit_does_not_read_the_internal_exchange_in_the_history(
    logged_in: Client, ledger: Ledger
) -> None:
    history = body(logged_in.get("/audit/?object_type=Exchange"))
    assert f">Exchange {ledger.meeting.pk}</a>" in history
    assert f">Exchange {ledger.secret.pk}</a>" not in history
    assert SECRET not in body(logged_in.get("/audit/"))
    assert "Internal note on Hanoi talks" not in body(logged_in.get("/audit/?object_type=Source"))


def test_insiders_see_the_internal_exchange_everywhere(
    client: Client, ledger: Ledger, insider: User
) -> None:
    insider_client = _client_for(client, insider)
    assert SECRET in body(insider_client.get("/exchanges/"))
    assert "<strong>3</strong> exchanges" in body(insider_client.get("/exchanges/"))
    detail = insider_client.get(f"/exchanges/{ledger.secret.pk}/")
    assert detail.status_code == 200
    assert SECRET_SOURCE_TEXT in body(detail)
    assert "internal" in body(detail)
    dashboard = body(insider_client.get("/"))
    assert '<span class="value">4</span><span class="what">counterparts in contact' in dashboard
    assert "?year=2022" in dashboard
    rows = json_rows(insider_client.get("/exchanges/?format=json"))
    assert ledger.secret.pk in {row["id"] for row in rows}
    cpv_count = f'<a href="/exchanges/?actor={ledger.cpv.pk}">3</a>'
    assert cpv_count in body(insider_client.get("/actors/"))
    assert insider_client.get(f"/sources/{ledger.secret_source.pk}/").status_code == 200
    history = body(insider_client.get("/audit/?object_type=Exchange"))
    assert f">Exchange {ledger.secret.pk}</a>" in history
