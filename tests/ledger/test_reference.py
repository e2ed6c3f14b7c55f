"""The reference data shipped with liaison loads into the ledger; a second load changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from liaison.ledger.models import Actor, Country, CountryGroup, Mechanism, Unit
from liaison.ledger.reference import load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> dict[str, int]:
    return load_reference()


def test_load_reference_loads_every_table(loaded: dict[str, int]) -> None:
    assert Country.objects.filter(kind=Country.Kind.SOVEREIGN).count() >= 193
    assert Actor.objects.filter(kind__in=["party", "party_organ"]).count() >= 300
    assert Mechanism.objects.filter(editions__isnull=False).exists()
    assert Unit.objects.filter(code="central", parent=None).exists()
    assert all(count > 0 for count in loaded.values())


def test_load_reference_second_run_changes_nothing(loaded: dict[str, int]) -> None:
    assert load_reference() == {"countries": 0, "actors": 0, "mechanisms": 0}


def test_load_reference_links_organs_to_their_party(loaded: dict[str, int]) -> None:
    idcpc = Actor.objects.get(key="idcpc")
    assert idcpc.kind == "party_organ" and idcpc.parent is not None
    assert idcpc.parent.key == "cpc"
    assert idcpc.names.filter(name="IDCPC").exists()


def test_load_reference_dates_group_memberships(loaded: dict[str, int]) -> None:
    brics = CountryGroup.objects.get(code="BRICS")
    before = set(brics.members_on(date(2023, 6, 1)).values_list("iso3", flat=True))
    after = set(brics.members_on(date(2024, 6, 1)).values_list("iso3", flat=True))
    assert {"BRA", "RUS", "IND", "CHN", "ZAF"} <= before
    assert "EGY" not in before and "EGY" in after
    eu = CountryGroup.objects.get(code="EU")
    assert "GBR" in set(eu.members_on(date(2019, 1, 1)).values_list("iso3", flat=True))
    assert "GBR" not in set(eu.members_on(date(2021, 1, 1)).values_list("iso3", flat=True))


def test_load_reference_names_development_status(loaded: dict[str, int]) -> None:
    statuses = dict(Country.objects.values_list("iso3", "development_status"))
    assert statuses["CHN"] == "developing" and statuses["DEU"] == "developed"
