"""The dashboard's figures: counted as directly as before, and shown marked while being updated."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Count
from django.test import Client

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
    UserRole,
    Visibility,
)
from liaison.ledger import actions
from liaison.ledger.models import Exchange, Participation
from liaison.ledger.queries import year_of
from liaison.web import kept as kept_module
from liaison.web.access import visible_exchanges
from liaison.web.views.dashboard import _compute_figures, exchanges_per_actor, exchanges_per_year
from liaison.web.views.maps import country_counts
from tests.factories import make_actor, make_exchange, make_user
from tests.web.conftest import Ledger, body
from tests.web.test_kept_meanwhile import Later

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(ledger: Ledger) -> Ledger:
    """Add what the counts must leave out or count once: rejected, hidden, twice-taking-part."""
    make_exchange(ledger.anc, ledger.swapo, review_status=ReviewStatus.REJECTED)
    make_exchange(ledger.lprp, make_actor(country="DEU"), visibility=Visibility.INTERNAL)
    make_exchange(
        ledger.swapo, ledger.lprp, visibility=Visibility.INTERNAL, unit=ledger.africa, when="2023"
    )
    actions.record_exchange(
        actions.ExchangeInput(
            type=ExchangeType.VISIT,
            date=PartialDate.parse("2024-02"),
            participants=(
                (ledger.anc, ParticipantRole.HOST),
                (ledger.anc, ParticipantRole.ORGANIZER),
                (ledger.cpv, ParticipantRole.GUEST),
            ),
        )
    )
    return ledger


def _users(ledger: Ledger) -> list[Any]:
    admin = User.objects.create_superuser("root", "root@example.org", "a long password")
    return [
        make_user("africa_viewer", UserRole.VIEWER, ledger.africa),
        make_user("asia_viewer", UserRole.VIEWER, ledger.asia),
        make_user("central_viewer", UserRole.VIEWER, ledger.central),
        admin,
    ]


def test_exchanges_per_counterpart_are_those_of_a_direct_count(varied: Ledger) -> None:
    users = _users(varied)
    for user in users:
        counted = visible_exchanges(user).exclude(review_status=ReviewStatus.REJECTED)
        direct = dict(
            Participation.objects.filter(exchange__in=counted)
            .values("actor_id")
            .annotate(n=Count("exchange_id", distinct=True))
            .values_list("actor_id", "n")
        )
        assert exchanges_per_actor(user) == direct, user.username
    assert exchanges_per_actor(users[0])[varied.anc.pk] == 2  # in two roles, counted once


def test_exchanges_per_year_are_those_of_a_direct_count(varied: Ledger) -> None:
    make_exchange(when="1998-11", review_status=ReviewStatus.REJECTED)  # a year of none counted
    for user in _users(varied):
        counted = visible_exchanges(user).exclude(review_status=ReviewStatus.REJECTED)
        direct = list(
            counted.order_by()
            .annotate(year=year_of("date"))
            .values_list("year")
            .annotate(n=Count("id"))
            .order_by("year")
        )
        assert exchanges_per_year(user) == direct, user.username


def test_the_map_and_the_year_are_counted_as_before(varied: Ledger) -> None:
    for user in _users(varied):
        visible = visible_exchanges(user)
        counted = visible.exclude(review_status=ReviewStatus.REJECTED)
        figures = _compute_figures(user, visible, counted, "2024")
        before = {c.iso2: c.counterparts for c in country_counts(counted)}
        assert {c.iso2: c.counterparts for c in figures["map_counts"]} == before
        in_year = counted.filter(date__year=2024)
        assert figures["year_total"] == in_year.count()
        by_type = dict(in_year.values_list("type").annotate(n=Count("id")))
        assert {row["value"]: row["n"] for row in figures["by_type"]} == by_type
        by_channel = dict(in_year.values_list("channel").annotate(n=Count("id")))
        assert {row["value"]: row["n"] for row in figures["by_channel"]} == by_channel


def test_after_a_change_the_last_figures_are_shown_marked_with_the_new_exchange(
    logged_in: Client, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept_module, "QUICK_SECONDS", 0.0)  # as at a million exchanges
    later = Later()
    monkeypatch.setattr(kept_module, "in_background", later)
    first = body(logged_in.get("/"))
    assert '<span class="value">3</span><span class="what">counterparts in contact' in first
    assert "kept until the ledger changes" in first and "being updated" not in first
    make_exchange(ledger.cpv, make_actor(country="DEU"), when="2025-03-04", summary="Port talks")
    meanwhile = body(logged_in.get("/"))
    assert '<span class="value">3</span><span class="what">counterparts in contact' in meanwhile
    assert "being updated" in meanwhile and "kept until the ledger changes" not in meanwhile
    assert "Port talks" in meanwhile  # the latest exchanges are read as they are
    assert len(later.work) == 1
    later.run()
    updated = body(logged_in.get("/"))
    assert '<span class="value">4</span><span class="what">counterparts in contact' in updated
    assert "being updated" not in updated and "Port talks" in updated


def test_a_small_ledger_shows_a_change_at_once(logged_in: Client, ledger: Ledger) -> None:
    assert "2025" not in body(logged_in.get("/"))
    make_exchange(ledger.cpv, make_actor(), when="2025-03-04", summary="Port talks")
    page = body(logged_in.get("/"))
    assert "being updated" not in page and "Port talks" in page
    assert "exchanges in 2025" in page
    assert Exchange.objects.filter(summary="Port talks").exists()
