"""The headline figures: counterparts, countries, developing share, exchanges broken down."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from liaison.domain.enums import ActorKind, ExchangeType
from liaison.ledger.figures_queries import ActorFacts, ContactRow, CubeRow

NO_COUNTRY = "(no country)"
NO_MECHANISM = "(no mechanism)"
NO_UNIT = "(no unit)"
# The convention behind Country.development_status (liaison/reference/README.md).
DEVELOPMENT_CONVENTION = (
    "IMF World Economic Outlook, April 2024: advanced economies are developed, others developing"
)


@dataclass(frozen=True)
class GroupReach:
    """A country group's members at period end and how many of them the record reaches."""

    code: str
    name: str
    members: int
    countries_reached: int
    counterparts: int


@dataclass(frozen=True)
class Directions:
    """Exchanges of one type by direction: sent (from the home side), received, unknown."""

    sent: int
    received: int
    unknown: int


@dataclass(frozen=True)
class Figures:
    """The headline figures of a scope."""

    exchanges: int
    counterparts: int
    parties: int
    counterparts_by_kind: dict[str, int]
    countries_reached: int
    developing_counterparts: int
    counterparts_with_status: int
    developing_share: float | None
    counterparts_by_region: dict[str, int]
    counterparts_by_group: list[GroupReach]
    exchanges_by_type: dict[str, int]
    exchanges_by_channel: dict[str, int]
    exchanges_by_mechanism: dict[str, int]
    exchanges_by_unit: dict[str, int]
    mechanisms_used: int
    delegations: Directions
    briefings: int
    briefing_audience_counterparts: int
    briefing_audience_countries: int
    briefing_audience_people: int
    messages: Directions


def in_contact(contacts: Iterable[ContactRow]) -> list[int]:
    """Return the ids of the counterparts with an exchange in the period."""
    return [row.actor_id for row in contacts if row.exchanges]


def counted_as(actor: ActorFacts, kinds: frozenset[str]) -> int | None:
    """Return the id an actor counts under for some kinds: a party organ counts as its party."""
    if (
        actor.kind == ActorKind.PARTY_ORGAN
        and ActorKind.PARTY in kinds
        and ActorKind.PARTY_ORGAN not in kinds
        and actor.parent_kind == ActorKind.PARTY
    ):
        return actor.parent_id
    return actor.id if actor.kind in kinds else None


def count_counterparts(
    ids: Iterable[int],
    facts: dict[int, ActorFacts],
    kinds: Iterable[str] = (),
    development: str = "",
) -> int:
    """Count counterparts, of some kinds and of countries of a development status if given."""
    wanted = frozenset(kinds)
    counted = set()
    for pk in ids:
        actor = facts.get(pk)
        if actor is None or (development and actor.development_status != development):
            continue
        counted_id = counted_as(actor, wanted) if wanted else actor.id
        if counted_id is not None:
            counted.add(counted_id)
    return len(counted)


def countries_of(
    ids: Iterable[int], facts: dict[int, ActorFacts], development: str = ""
) -> set[str]:
    """Return the countries of some counterparts (of a development status if given)."""
    found = set()
    for pk in ids:
        actor = facts.get(pk)
        if actor and actor.country and development in ("", actor.development_status):
            found.add(actor.country)
    return found


def developing_share(
    ids: Iterable[int], facts: dict[int, ActorFacts]
) -> tuple[int, int, float | None]:
    """Return (developing, with a known status, percent developing) for some counterparts."""
    statuses = Counter(
        facts[pk].development_status for pk in ids if pk in facts and facts[pk].country
    )
    known = statuses["developing"] + statuses["developed"]
    share = 100 * statuses["developing"] / known if known else None
    return statuses["developing"], known, share


def tally(values: Iterable[str]) -> dict[str, int]:
    """Count values, largest first, then by name."""
    counts = Counter(values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def cube_tally(cube: Iterable[CubeRow], label: Callable[[CubeRow], object]) -> dict[str, int]:
    """Sum exchange counts by a label of each cube row, largest first."""
    counts: Counter[str] = Counter()
    for row in cube:
        counts[str(label(row))] += row.count
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def group_reach(
    ids: Iterable[int],
    facts: dict[int, ActorFacts],
    groups: dict[str, tuple[str, frozenset[str]]],
) -> list[GroupReach]:
    """Return, for each country group, its members and the counterparts from them."""
    by_country = Counter(facts[pk].country for pk in ids if pk in facts and facts[pk].country)
    return [
        GroupReach(
            code,
            name,
            len(members),
            sum(1 for c in members if by_country[c]),
            sum(by_country[c] for c in members),
        )
        for code, (name, members) in groups.items()
    ]


def delegations(cube: Iterable[CubeRow], unplaced: dict[str, int]) -> Directions:
    """Count visits abroad (sent) and at home (received); unplaced visits go by roles."""
    visits = [row for row in cube if row.type == ExchangeType.VISIT]
    abroad = sum(row.count for row in visits if row.place == "abroad")
    home = sum(row.count for row in visits if row.place == "home")
    return Directions(
        abroad + unplaced.get("sent", 0),
        home + unplaced.get("received", 0),
        unplaced.get("unknown", 0),
    )


@dataclass(frozen=True)
class FigureRows:
    """The rows the figures are computed from, as the ledger queries return them."""

    cube: list[CubeRow]
    contacts: list[ContactRow]
    facts: dict[int, ActorFacts]
    groups: dict[str, tuple[str, frozenset[str]]]
    mechanisms: dict[int, str]
    units: dict[int, tuple[str, str]]
    unplaced_visits: dict[str, int]
    correspondence: dict[str, int]
    briefing_people: int


def compute_figures(rows: FigureRows) -> Figures:
    """Compute the headline figures from the rows of one scope."""
    ids = in_contact(rows.contacts)
    briefed = [row.actor_id for row in rows.contacts if row.briefings]
    developing, known, share = developing_share(ids, rows.facts)
    mechanisms = rows.mechanisms
    units = rows.units
    by_mechanism = cube_tally(
        rows.cube,
        lambda r: mechanisms.get(r.mechanism_id, NO_MECHANISM) if r.mechanism_id else NO_MECHANISM,
    )
    return Figures(
        exchanges=sum(row.count for row in rows.cube),
        counterparts=len(ids),
        parties=count_counterparts(ids, rows.facts, [ActorKind.PARTY]),
        counterparts_by_kind=tally(rows.facts[pk].kind for pk in ids if pk in rows.facts),
        countries_reached=len(countries_of(ids, rows.facts)),
        developing_counterparts=developing,
        counterparts_with_status=known,
        developing_share=share,
        counterparts_by_region=tally(
            rows.facts[pk].region or NO_COUNTRY for pk in ids if pk in rows.facts
        ),
        counterparts_by_group=group_reach(ids, rows.facts, rows.groups),
        exchanges_by_type=cube_tally(rows.cube, lambda r: r.type),
        exchanges_by_channel=cube_tally(rows.cube, lambda r: r.channel),
        exchanges_by_mechanism=by_mechanism,
        exchanges_by_unit=cube_tally(
            rows.cube, lambda r: units[r.unit_id][0] if r.unit_id in units else NO_UNIT
        ),
        mechanisms_used=len({r.mechanism_id for r in rows.cube if r.mechanism_id}),
        delegations=delegations(rows.cube, rows.unplaced_visits),
        briefings=sum(r.count for r in rows.cube if r.type == ExchangeType.BRIEFING),
        briefing_audience_counterparts=len(briefed),
        briefing_audience_countries=len(countries_of(briefed, rows.facts)),
        briefing_audience_people=rows.briefing_people,
        messages=Directions(
            rows.correspondence.get("sent", 0),
            rows.correspondence.get("received", 0),
            rows.correspondence.get("unknown", 0),
        ),
    )
