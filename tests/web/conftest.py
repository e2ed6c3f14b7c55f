"""A small ledger for the web tests: units, users, counterparts, a mechanism and exchanges."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    ActorKind,
    Channel,
    ExchangeType,
    GovernmentStatus,
    NameType,
    ReviewStatus,
    UserRole,
    Visibility,
)
from liaison.ledger import actions
from liaison.ledger.models import (
    Actor,
    Country,
    CountryGroup,
    Exchange,
    Mechanism,
    MechanismEdition,
    Source,
    Unit,
)
from tests.factories import make_actor, make_country, make_exchange, make_unit, make_user

# The marker of the internal exchange: no page may show it to a user who may not see it.
SECRET = "Confidential talks on cadre training"
SECRET_SOURCE_TEXT = "Officials held confidential talks in Hanoi on cadre training."
PUBLIC_SOURCE_TEXT = (
    "Pretoria, 15 May 2024. The ANC received a delegation of the Communist Party of Vietnam. "
    "The two parties agreed to deepen exchanges on governance."
)
PUBLIC_SENTENCE = "The ANC received a delegation of the Communist Party of Vietnam."


@dataclass
class Ledger:
    """The records of the test ledger, by what the tests call them."""

    central: Unit
    asia: Unit
    africa: Unit
    anc: Actor
    cpv: Actor
    swapo: Actor
    lprp: Actor
    organ: Actor
    mechanism: Mechanism
    edition: MechanismEdition
    meeting: Exchange
    call: Exchange
    secret: Exchange
    source: Source
    secret_source: Source


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Start each test with no counted log-in failures (the cache outlives a test)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Hash test passwords quickly: the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ledger(db: None) -> Ledger:
    """Build the ledger through the actions, as the application itself would."""
    central = make_unit("central")
    asia = make_unit("central.asia", central)
    africa = make_unit("central.africa", central)
    make_country("ZAF", "South Africa", region="Africa", subregion="Southern Africa")
    make_country("VNM", "Viet Nam", region="Asia", subregion="South-eastern Asia")
    make_country("NAM", "Namibia", region="Africa", subregion="Southern Africa")
    make_country("LAO", "Lao PDR", region="Asia", subregion="South-eastern Asia")
    make_country("DEU", "Germany", region="Europe", development_status="developed")
    actions.upsert_group({"code": "BRICS", "name": "BRICS"})
    actions.upsert_membership(
        CountryGroup.objects.get(code="BRICS"),
        Country.objects.get(iso3="ZAF"),
        PartialDate.parse("2011"),
        None,
    )
    anc = make_actor(
        "African National Congress",
        country="ZAF",
        aliases=("ANC",),
        family="social_democracy",
        external_ids=(("wikidata", "Q83162"),),
    )
    actions.add_actor_status(anc, actions.StatusInput(GovernmentStatus.RULING, note="since 1994"))
    actions.add_actor_name(anc, actions.NameInput("ANC", NameType.ABBREVIATION))
    actions.add_position("Fikile Mbalula", anc, "Secretary-General", datetime.date(2022, 12, 1))
    organ = make_actor("ANC International Relations Committee", ActorKind.PARTY_ORGAN, parent=anc)
    cpv = make_actor("Communist Party of Vietnam", country="VNM", aliases=("CPV",))
    swapo = make_actor("SWAPO Party", country="NAM")
    lprp = make_actor("Lao People's Revolutionary Party", country="LAO")
    mechanism, _ = actions.upsert_mechanism(
        {
            "key": "sco-parties-forum",
            "name": "SCO Political Parties Forum",
            "scope": "regional",
            "region": "Eurasia",
            "aliases": ["SCO Forum"],
            "description": "A forum of parties from SCO member states.",
        }
    )
    edition, _ = actions.upsert_edition(
        mechanism, "Fifth SCO Political Parties Forum", PartialDate.parse("2023-06"), number=5
    )
    evidence = actions.EvidenceInput(
        source=actions.SourceInput(
            url="https://example.org/anc-cpv",
            title="ANC receives CPV delegation",
            outlet="Pretoria News",
            published=datetime.date(2024, 5, 15),
            language="en",
            text=PUBLIC_SOURCE_TEXT,
        ),
        text=PUBLIC_SENTENCE,
        start=PUBLIC_SOURCE_TEXT.index(PUBLIC_SENTENCE),
        end=PUBLIC_SOURCE_TEXT.index(PUBLIC_SENTENCE) + len(PUBLIC_SENTENCE),
        confidence=0.9,
    )
    meeting = make_exchange(
        anc,
        cpv,
        when="2024-05-14",
        city="Pretoria",
        country="ZAF",
        summary="The ANC received a CPV delegation in Pretoria.",
        outcomes="Agreed to deepen exchanges on governance.",
        topics=("governance", "party building"),
        unit=africa,
        people=(actions.PersonInput("Fikile Mbalula", "Secretary-General", anc),),
        evidence=(evidence,),
    )
    call = make_exchange(
        cpv,
        swapo,
        when="2023-06",
        type=ExchangeType.CALL,
        channel=Channel.VIDEO,
        summary="A video forum session between CPV and SWAPO.",
        mechanism=mechanism,
        edition=edition,
        unit=central,
    )
    secret_evidence = actions.EvidenceInput(
        source=actions.SourceInput(
            url="https://example.org/internal-note",
            title="Internal note on Hanoi talks",
            outlet="Internal memo",
            published=datetime.date(2022, 3, 2),
            text=SECRET_SOURCE_TEXT,
        ),
        text=SECRET_SOURCE_TEXT,
        start=0,
        end=len(SECRET_SOURCE_TEXT),
    )
    secret = make_exchange(
        cpv,
        lprp,
        when="2022-03-01",
        type=ExchangeType.VISIT,
        city="Hanoi",
        country="VNM",
        summary=SECRET,
        unit=asia,
        visibility=Visibility.INTERNAL,
        evidence=(secret_evidence,),
    )
    return Ledger(
        central=central,
        asia=asia,
        africa=africa,
        anc=anc,
        cpv=cpv,
        swapo=swapo,
        lprp=lprp,
        organ=organ,
        mechanism=mechanism,
        edition=edition,
        meeting=meeting,
        call=call,
        secret=secret,
        source=Source.objects.get(url="https://example.org/anc-cpv"),
        secret_source=Source.objects.get(url="https://example.org/internal-note"),
    )


@pytest.fixture
def viewer(ledger: Ledger) -> User:
    """A viewer in the Africa bureau: a sibling of the unit that recorded the internal exchange."""
    user: User = make_user("africa_viewer", UserRole.VIEWER, ledger.africa)
    return user


@pytest.fixture
def logged_in(client: Client, viewer: User) -> Client:
    """A client logged in as the viewer of the Africa bureau."""
    client.force_login(viewer)
    return client


def body(response: HttpResponseBase) -> str:
    """Return the text of a response, streamed or not."""
    if isinstance(response, StreamingHttpResponse):
        return b"".join(bytes(chunk) for chunk in response).decode()
    assert isinstance(response, HttpResponse)
    return response.content.decode()


def json_rows(response: HttpResponseBase) -> list[dict[str, Any]]:
    """Return the rows of a JSON download."""
    rows: list[dict[str, Any]] = json.loads(body(response))
    return rows


# A press text that ingest read: a proposed exchange and a counterpart not yet in the registry.
PROPOSED_TEXT = (
    "Windhoek, 3 April 2024. The Communist Party of Vietnam met the Swapo Party of Namibia "
    "in Windhoek. Both sides pledged closer cooperation on youth training."
)
PROPOSED_SENTENCE = "The Communist Party of Vietnam met the Swapo Party of Namibia in Windhoek."


@dataclass
class Proposed:
    """What the review queue holds: an exchange and a counterpart that duplicates SWAPO."""

    exchange: Exchange
    actor: Actor


@pytest.fixture
def proposed(ledger: Ledger) -> Proposed:
    """Propose an exchange and a counterpart, as ingest does (no unit, with evidence)."""
    newcomer = make_actor(
        "Swapo Party of Namibia", country="NAM", review_status=ReviewStatus.PROPOSED
    )
    start = PROPOSED_TEXT.index(PROPOSED_SENTENCE)
    evidence = actions.EvidenceInput(
        source=actions.SourceInput(
            url="https://example.org/cpv-swapo",
            title="CPV meets Swapo",
            published=datetime.date(2024, 4, 3),
            text=PROPOSED_TEXT,
        ),
        text=PROPOSED_SENTENCE,
        start=start,
        end=start + len(PROPOSED_SENTENCE),
        confidence=0.8,
    )
    exchange = make_exchange(
        ledger.cpv,
        newcomer,
        when="2024-04-03",
        city="Windhoek",
        country="NAM",
        review_status=ReviewStatus.PROPOSED,
        evidence=(evidence,),
    )
    return Proposed(exchange=exchange, actor=newcomer)


def exchange_post(ledger: Ledger, **changes: str) -> dict[str, str]:
    """Return the form data of a valid back-dated exchange for the Africa bureau."""
    data = {
        "type": "meeting",
        "channel": "in_person",
        "date": "1998-11",
        "end_date": "",
        "city": "Pretoria",
        "country": "ZAF",
        "mechanism": "",
        "edition": "",
        "topics": "governance, youth",
        "summary": "The ANC hosted a CPV study group.",
        "outcomes": "",
        "unit": str(ledger.africa.pk),
        "visibility": "public",
        "source_url": "https://example.org/study-group",
        "source_title": "Study group in Pretoria",
        "source_published": "1998-11-20",
        "evidence": "The ANC hosted a study group of the CPV in Pretoria.",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "1",
        "participants-MAX_NUM_FORMS": "60",
        "participants-0-actor": "ANC",
        "participants-0-role": "host",
        "participants-1-actor": f"Communist Party of Vietnam [{ledger.cpv.pk}]",
        "participants-1-role": "guest",
        "participants-2-actor": "",
        "participants-2-role": "guest",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "100",
        "people-0-name": "Nguyen Van An",
        "people-0-role": "head of the study group",
        "people-0-org": "CPV",
        "people-1-name": "",
        "people-1-role": "",
        "people-1-org": "",
    }
    data.update(changes)
    return data
