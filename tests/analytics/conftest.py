"""A small ledger, built through the actions, whose figures the tests work out by hand.

Home is China (CHN); the report period is 2023-01-01 to 2024-12-31.

Counterparts (A*), home actors (H, H2):
  A1 ANC            party         ZAF Africa   developing
  A2 ANC organ      party_organ   ZAF          (parent A1: counts as A1 among parties)
  A3 KANU           party         KEN Africa   developing
  A4 CPV            party         VNM Asia     developing
  A5 SPD            party         DEU Europe   developed
  A6 Foundation     organization  DEU Europe   developed
  A7 PT             party         BRA Americas developing
  A8 Kenya gov.     government    KEN Africa   developing
  A9 World forum    organization  no country
  A10 Old party     party         ZAF          (met only in 2019: dormant)
  H  IDCPC          party_organ   CHN;  H2 Yunnan committee, party_organ CHN

Exchanges (unit; place; channel) and who takes part:
  E0  2019-03-01 meeting        africa  CHN  in_person   H, A10           before the period
  E1  2022-06-01 meeting        africa  CHN  in_person   H, A1            before the period
  E2  2023-03-10 visit          africa  ZAF  in_person   H guest, A1 host
  E3  2023-05-20 visit          africa  CHN  in_person   H host, A3 guest
  E4  2023-07-01 conference M1  central CHN  in_person   H, A1, A4, A5, A7
  E5  2023-09-15 briefing       central CHN  video       H, A4, A8; people P1 (A4), P2 (A8), P3 (H)
  E6  2023-11-01 correspondence europe  -    written     H sender, A5 recipient
  E7  2023-12-01 meeting        europe  DEU  video       H, A2, A6
  E8  2024-02-01 correspondence central -    written     A7 sender, H recipient
  E9  2024-04-10 visit          yunnan  -    in_person   H2 guest, A4 host  (no place: by roles)
  E10 2024-06-01 briefing M2    central CHN  in_person   H, A1, A9; people P1 (A4), P4 (A1)
  E11 2024-08-08 call           africa  -    phone       H, A3
  E12 2024-10-10 meeting M1     africa  KEN  in_person   H, A1, A3, A4
  E13 2024-05-05 meeting        europe  CHN  in_person   H, A5   REJECTED: never counts
  E14 2024-07-07 meeting        europe  CHN  in_person   H, A6   PROPOSED: not when reviewed-only
  E15 2025-03-03 meeting        central CHN  in_person   H, A7   after the period
  E16 2024-09-09 meeting        europe  CHN  in_person   H, A8   INTERNAL to central.europe

Units: central > central.africa, central.europe; province.yunnan is a root of its own.
Groups: AU (ZAF, KEN); BRICS (CHN, ZAF, BRA); OLD (DEU until 2020, VNM from 2024-06-01).
FRA (sovereign, Europe, developed) is never met; PRI is a territory, never met.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    ActorKind,
    Channel,
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
    Visibility,
)
from liaison.ledger import actions
from liaison.ledger.models import Actor, Country, CountryGroup, Mechanism, Unit
from tests.factories import make_country

FROM = datetime.date(2023, 1, 1)
TO = datetime.date(2024, 12, 31)

COUNTRIES = [
    # iso3, name, region, development status, kind
    ("CHN", "China", "Asia", "developing", "sovereign"),
    ("ZAF", "South Africa", "Africa", "developing", "sovereign"),
    ("KEN", "Kenya", "Africa", "developing", "sovereign"),
    ("VNM", "Viet Nam", "Asia", "developing", "sovereign"),
    ("DEU", "Germany", "Europe", "developed", "sovereign"),
    ("BRA", "Brazil", "Americas", "developing", "sovereign"),
    ("FRA", "France", "Europe", "developed", "sovereign"),
    ("PRI", "Puerto Rico", "Americas", "developed", "territory"),
]


@dataclass
class Ledger:
    """The ids of the small ledger's rows, by the names the docstring gives them."""

    actors: dict[str, Actor]
    units: dict[str, Unit]
    mechanisms: dict[str, Mechanism]

    def id(self, name: str) -> int:
        """Return an actor's id."""
        return self.actors[name].pk


def _group(code: str, name: str, members: list[tuple[Country, str | None, str | None]]) -> None:
    actions.upsert_group({"code": code, "name": name})
    group = CountryGroup.objects.get(code=code)
    for country, joined, left in members:
        actions.upsert_membership(
            group,
            country,
            PartialDate.parse(joined) if joined else None,
            PartialDate.parse(left) if left else None,
        )


def build_ledger() -> Ledger:
    """Record the small ledger of the module docstring through the ledger actions."""
    countries = {
        iso3: make_country(
            iso3, name=name, region=region, development_status=status, kind=kind, iso2=iso3[:2]
        )
        for iso3, name, region, status, kind in COUNTRIES
    }
    _group("AU", "African Union", [(countries["ZAF"], None, None), (countries["KEN"], None, None)])
    _group(
        "BRICS",
        "BRICS",
        [(countries[c], "2010", None) for c in ("CHN", "ZAF", "BRA")],
    )
    _group(
        "OLD",
        "A group that changed",
        [(countries["DEU"], "2000", "2020"), (countries["VNM"], "2024-06-01", None)],
    )
    central = actions.ensure_unit("central", "Central")
    units = {
        "central": central,
        "africa": actions.ensure_unit("central.africa", "Africa bureau", central),
        "europe": actions.ensure_unit("central.europe", "Europe bureau", central),
        "yunnan": actions.ensure_unit("province.yunnan", "Yunnan"),
    }
    mechanisms = {
        "M1": actions.upsert_mechanism({"name": "Forum X", "scope": "multilateral"})[0],
        "M2": actions.upsert_mechanism({"name": "Briefing series", "scope": "global"})[0],
    }

    def actor(name: str, kind: ActorKind, country: str | None, **values: object) -> Actor:
        return actions.create_actor(actions.ActorInput(name, kind, country, **values))  # type: ignore[arg-type]

    a: dict[str, Actor] = {}
    a["H"] = actor("IDCPC", ActorKind.PARTY_ORGAN, "CHN")
    a["H2"] = actor("Yunnan committee", ActorKind.PARTY_ORGAN, "CHN")
    a["A1"] = actor("ANC", ActorKind.PARTY, "ZAF")
    a["A2"] = actor("ANC international office", ActorKind.PARTY_ORGAN, "ZAF", parent=a["A1"])
    a["A3"] = actor("KANU", ActorKind.PARTY, "KEN")
    a["A4"] = actor("CPV", ActorKind.PARTY, "VNM")
    a["A5"] = actor("SPD", ActorKind.PARTY, "DEU")
    a["A6"] = actor("Foundation", ActorKind.ORGANIZATION, "DEU")
    a["A7"] = actor("PT", ActorKind.PARTY, "BRA")
    a["A8"] = actor("Government of Kenya", ActorKind.GOVERNMENT, "KEN")
    a["A9"] = actor("World forum", ActorKind.ORGANIZATION, None)
    a["A10"] = actor("Old party", ActorKind.PARTY, "ZAF")

    role = ParticipantRole

    def exchange(
        when: str,
        type_: ExchangeType,
        unit: str,
        country: str | None,
        channel: Channel,
        who: list[tuple[str, ParticipantRole]],
        people: tuple[tuple[str, str], ...] = (),
        mechanism: str | None = None,
        **values: object,
    ) -> None:
        actions.record_exchange(
            actions.ExchangeInput(
                type=type_,
                date=PartialDate.parse(when),
                channel=channel,
                country=country,
                unit=units[unit],
                mechanism=mechanisms[mechanism] if mechanism else None,
                participants=tuple((a[name], r) for name, r in who),
                people=tuple(actions.PersonInput(p, "", a[org]) for p, org in people),
                **values,  # type: ignore[arg-type]
            )
        )

    t, c = ExchangeType, Channel
    part = role.PARTICIPANT
    exchange(
        "2019-03-01",
        t.MEETING,
        "africa",
        "CHN",
        c.IN_PERSON,
        [("H", role.HOST), ("A10", role.GUEST)],
    )  # E0
    exchange(
        "2022-06-01",
        t.MEETING,
        "africa",
        "CHN",
        c.IN_PERSON,
        [("H", role.HOST), ("A1", role.GUEST)],
    )  # E1
    exchange(
        "2023-03-10", t.VISIT, "africa", "ZAF", c.IN_PERSON, [("H", role.GUEST), ("A1", role.HOST)]
    )  # E2
    exchange(
        "2023-05-20", t.VISIT, "africa", "CHN", c.IN_PERSON, [("H", role.HOST), ("A3", role.GUEST)]
    )  # E3
    exchange(
        "2023-07-01",
        t.CONFERENCE,
        "central",
        "CHN",
        c.IN_PERSON,
        [("H", role.ORGANIZER), ("A1", part), ("A4", part), ("A5", part), ("A7", part)],
        mechanism="M1",
    )  # E4
    exchange(
        "2023-09-15",
        t.BRIEFING,
        "central",
        "CHN",
        c.VIDEO,
        [("H", role.HOST), ("A4", role.GUEST), ("A8", role.GUEST)],
        people=(("Person One", "A4"), ("Person Two", "A8"), ("Person Three", "H")),
    )  # E5
    exchange(
        "2023-11-01",
        t.CORRESPONDENCE,
        "europe",
        None,
        c.WRITTEN,
        [("H", role.SENDER), ("A5", role.RECIPIENT)],
    )  # E6
    exchange(
        "2023-12-01", t.MEETING, "europe", "DEU", c.VIDEO, [("H", part), ("A2", part), ("A6", part)]
    )  # E7
    exchange(
        "2024-02-01",
        t.CORRESPONDENCE,
        "central",
        None,
        c.WRITTEN,
        [("A7", role.SENDER), ("H", role.RECIPIENT)],
    )  # E8
    exchange(
        "2024-04-10", t.VISIT, "yunnan", None, c.IN_PERSON, [("H2", role.GUEST), ("A4", role.HOST)]
    )  # E9
    exchange(
        "2024-06-01",
        t.BRIEFING,
        "central",
        "CHN",
        c.IN_PERSON,
        [("H", role.HOST), ("A1", role.GUEST), ("A9", role.GUEST)],
        people=(("Person One", "A4"), ("Person Four", "A1")),
        mechanism="M2",
    )  # E10
    exchange("2024-08-08", t.CALL, "africa", None, c.PHONE, [("H", part), ("A3", part)])  # E11
    exchange(
        "2024-10-10",
        t.MEETING,
        "africa",
        "KEN",
        c.IN_PERSON,
        [("H", role.GUEST), ("A1", role.HOST), ("A3", part), ("A4", part)],
        mechanism="M1",
    )  # E12
    exchange(
        "2024-05-05",
        t.MEETING,
        "europe",
        "CHN",
        c.IN_PERSON,
        [("H", role.HOST), ("A5", role.GUEST)],
        review_status=ReviewStatus.REJECTED,
    )  # E13
    exchange(
        "2024-07-07",
        t.MEETING,
        "europe",
        "CHN",
        c.IN_PERSON,
        [("H", role.HOST), ("A6", role.GUEST)],
        review_status=ReviewStatus.PROPOSED,
    )  # E14
    exchange(
        "2025-03-03",
        t.MEETING,
        "central",
        "CHN",
        c.IN_PERSON,
        [("H", role.HOST), ("A7", role.GUEST)],
    )  # E15
    exchange(
        "2024-09-09",
        t.MEETING,
        "europe",
        "CHN",
        c.IN_PERSON,
        [("H", role.HOST), ("A8", role.GUEST)],
        visibility=Visibility.INTERNAL,
    )  # E16
    return Ledger(a, units, mechanisms)


@pytest.fixture
def ledger(db: None) -> Ledger:
    """The small ledger of this module's docstring."""
    return build_ledger()
