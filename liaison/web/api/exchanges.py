"""Exchanges in the API: list, export, detail, record, change and review."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import replace
from typing import Any, Literal

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator, model_validator

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    Channel,
    DatePrecision,
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
    Visibility,
)
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger import actions, review
from liaison.ledger.export import EXCHANGE_COLUMNS, exchange_row
from liaison.ledger.models import (
    Actor,
    Attendance,
    Exchange,
    Mechanism,
    MechanismEdition,
    Participation,
    Unit,
)
from liaison.web.access import membership_of, visible_exchanges
from liaison.web.api.auth import user_of
from liaison.web.api.common import (
    EXPORT_DOC,
    Error,
    ExportFormat,
    Input,
    NamedInput,
    PageBase,
    Paging,
    Ref,
    json_response,
    page,
    refuse_nulls,
)
from liaison.web.api.common import apply_filters as _apply
from liaison.web.api.permissions import (
    require_editor,
    require_exchange,
    require_unit,
)
from liaison.web.api.sources import EvidenceIn, EvidenceOut, evidence_input, evidence_out
from liaison.web.listing import download
from liaison.web.views.exchanges import FACETS, SORTS, search_exchanges, with_details

router = Router(tags=["exchanges"])

ExchangeSort = Literal["-date", "date", "type", "-type"]


class ExchangeFilters(Schema):
    """The search and filters of the exchanges page."""

    q: str = Field("", description='words or "phrases" in summary, outcomes, topics, names')
    type: ExchangeType | None = None
    channel: Channel | None = None
    country: str | None = Field(None, description="where it was held, ISO 3166 alpha-3")
    year: int | None = None
    mechanism: int | None = Field(None, description="mechanism id")
    unit: str | None = Field(None, description="code of the unit that recorded it")
    review_status: ReviewStatus | None = None
    actor: int | None = Field(None, description="id of a counterpart that took part")
    sort: ExchangeSort = "-date"


class ParticipantOut(Schema):
    """A counterpart's part in an exchange."""

    actor: Ref
    role: ParticipantRole


class PersonOut(Schema):
    """A person present, with their role and the counterpart they came for."""

    name: str
    role: str
    org: Ref | None


class ExchangeOut(Schema):
    """An exchange as lists show it."""

    id: int
    type: ExchangeType
    channel: Channel
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD: as precise as it is known")
    date_precision: DatePrecision
    end_date: datetime.date | None
    city: str
    country: str | None = Field(description="ISO 3166 alpha-3")
    mechanism: Ref | None
    edition: Ref | None
    topics: list[str]
    summary: str
    outcomes: str
    unit: str | None = Field(description="code of the unit that recorded it")
    visibility: Visibility
    review_status: ReviewStatus
    external_ref: str | None
    participants: list[ParticipantOut]
    people: list[PersonOut]
    created_at: datetime.datetime


class ExchangeDetail(ExchangeOut):
    """An exchange with the evidence behind it."""

    evidence: list[EvidenceOut]


class ExchangePage(PageBase):
    """A page of exchanges."""

    items: list[ExchangeOut]


class ParticipantIn(Input):
    """A counterpart that took part, by id, and its role."""

    actor_id: int
    role: ParticipantRole = ParticipantRole.PARTICIPANT


class PersonIn(NamedInput):
    """A person present; found by name, or created."""

    name: str = Field(min_length=1, max_length=200)
    role: str = Field("", max_length=300)
    org_id: int | None = Field(None, description="id of the counterpart they came for")


def _check_date(value: str | None) -> str | None:
    if value is not None:
        try:
            PartialDate.parse(value)
        except LiaisonError as error:
            raise ValueError(error.message) from error
    return value


class ExchangeIn(Input):
    """What it takes to record an exchange."""

    type: ExchangeType
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD", examples=["2024-05-14"])
    participants: list[ParticipantIn] = Field(min_length=1)
    channel: Channel = Channel.UNKNOWN
    end_date: datetime.date | None = None
    city: str = Field("", max_length=100)
    country: str | None = Field(None, description="ISO 3166 alpha-3")
    mechanism_id: int | None = None
    edition_id: int | None = None
    topics: list[str] = []
    summary: str = ""
    outcomes: str = ""
    unit: str | None = Field(None, description="unit code; by default the caller's unit")
    visibility: Visibility = Visibility.PUBLIC
    review_status: ReviewStatus = ReviewStatus.CONFIRMED
    people: list[PersonIn] = []
    evidence: list[EvidenceIn] = []

    _date = field_validator("date")(_check_date)


# Fields a PATCH may leave out but never set to null: the exchange always has them.
_REQUIRED = ("type", "date", "participants", "channel", "topics", "visibility", "review_status")


class ExchangePatch(Input):
    """The fields of an exchange to change; participants and people, when given, replace all."""

    type: ExchangeType | None = None
    date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    participants: list[ParticipantIn] | None = Field(None, min_length=1)
    channel: Channel | None = None
    end_date: datetime.date | None = None
    city: str | None = Field(None, max_length=100)
    country: str | None = None
    mechanism_id: int | None = None
    edition_id: int | None = None
    topics: list[str] | None = None
    summary: str | None = None
    outcomes: str | None = None
    unit: str | None = None
    visibility: Visibility | None = None
    review_status: ReviewStatus | None = None
    people: list[PersonIn] | None = None
    evidence: list[EvidenceIn] | None = Field(None, description="spans to add")

    _date = field_validator("date")(_check_date)

    @model_validator(mode="after")
    def _no_nulls(self) -> ExchangePatch:
        refuse_nulls(self, _REQUIRED)
        return self


class Decision(Input):
    """A review decision."""

    decision: review.Decision


def exchange_out(exchange: Exchange) -> ExchangeOut:
    """Return an exchange as lists show it (participants and people prefetched)."""
    return ExchangeOut(**_fields(exchange))


def exchange_detail(exchange: Exchange) -> ExchangeDetail:
    """Return an exchange with its evidence."""
    evidence = exchange.evidence.order_by("source_id", "start", "id")
    return ExchangeDetail(**_fields(exchange), evidence=[evidence_out(e) for e in evidence])


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _fields(exchange: Exchange) -> dict[str, Any]:
    return {
        "id": exchange.pk,
        "type": exchange.type,
        "channel": exchange.channel,
        "date": exchange.partial_date.isoformat(),
        "date_precision": exchange.date_precision,
        "end_date": exchange.end_date,
        "city": exchange.city,
        "country": exchange.country_id,
        "mechanism": _ref(exchange.mechanism),
        "edition": _ref(exchange.edition),
        "topics": list(exchange.topics),
        "summary": exchange.summary,
        "outcomes": exchange.outcomes,
        "unit": exchange.unit.code if exchange.unit else None,
        "visibility": exchange.visibility,
        "review_status": exchange.review_status,
        "external_ref": exchange.external_ref,
        "participants": [
            {"actor": {"id": p.actor.pk, "name": p.actor.name}, "role": p.role}
            for p in exchange.participations.all()
        ],
        "people": [
            {"name": a.person.name, "role": a.role, "org": _ref(a.org)}
            for a in exchange.attendances.all()
        ],
        "created_at": exchange.created_at,
    }


def filtered(request: HttpRequest, filters: ExchangeFilters) -> QuerySet[Exchange]:
    """Return the visible exchanges that match the filters, in the chosen order."""
    exchanges = search_exchanges(visible_exchanges(user_of(request)), filters.q)
    if filters.actor is not None:
        exchanges = exchanges.filter(
            Exists(Participation.objects.filter(exchange=OuterRef("pk"), actor_id=filters.actor))
        )
    exchanges = _apply(exchanges, filters.model_dump(), FACETS)
    return exchanges.order_by(*SORTS[filters.sort])


# What a listed exchange shows, read as plain values: building a model instance per row (and
# per participant) cost several times the queries themselves.
LISTED = (
    *("id", "type", "channel", "date", "date_precision", "end_date", "city", "country_id"),
    *("mechanism_id", "mechanism__name", "edition_id", "edition__name", "topics", "summary"),
    *("outcomes", "unit__code", "visibility", "review_status", "external_ref", "created_at"),
)


def _listed_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return listed exchanges as _fields writes them, from their values and two queries."""
    ids = [row["id"] for row in rows]
    participants: dict[int, list[dict[str, Any]]] = defaultdict(list)
    taking_part = Participation.objects.filter(exchange_id__in=ids).order_by("exchange_id", "id")
    for exchange_id, actor_id, name, role in taking_part.values_list(
        "exchange_id", "actor_id", "actor__name", "role"
    ):
        participants[exchange_id].append({"actor": {"id": actor_id, "name": name}, "role": role})
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    present = Attendance.objects.filter(exchange_id__in=ids).order_by("exchange_id", "id")
    for exchange_id, person, role, org_id, org_name in present.values_list(
        "exchange_id", "person__name", "role", "org_id", "org__name"
    ):
        org = {"id": org_id, "name": org_name} if org_id is not None else None
        people[exchange_id].append({"name": person, "role": role, "org": org})
    return [_item(row, participants[row["id"]], people[row["id"]]) for row in rows]


def _item(
    row: dict[str, Any], participants: list[dict[str, Any]], people: list[dict[str, Any]]
) -> dict[str, Any]:
    when = PartialDate.from_date(row["date"], DatePrecision(row["date_precision"]))
    mechanism, edition = row["mechanism_id"], row["edition_id"]
    return {
        "id": row["id"],
        "type": row["type"],
        "channel": row["channel"],
        "date": when.isoformat(),
        "date_precision": row["date_precision"],
        "end_date": row["end_date"],
        "city": row["city"],
        "country": row["country_id"],
        "mechanism": {"id": mechanism, "name": row["mechanism__name"]} if mechanism else None,
        "edition": {"id": edition, "name": row["edition__name"]} if edition else None,
        "topics": list(row["topics"]),
        "summary": row["summary"],
        "outcomes": row["outcomes"],
        "unit": row["unit__code"],
        "visibility": row["visibility"],
        "review_status": row["review_status"],
        "external_ref": row["external_ref"],
        "participants": participants,
        "people": people,
        "created_at": row["created_at"],
    }


def _visible(request: HttpRequest, pk: int) -> Exchange:
    # An exchange the caller may not see does not exist for them: 404, never 403.
    return get_object_or_404(with_details(visible_exchanges(user_of(request))), pk=pk)


@router.get("/", response=ExchangePage, summary="List exchanges")
def list_exchanges(
    request: HttpRequest, filters: Query[ExchangeFilters], paging: Query[Paging]
) -> HttpResponse:
    """List the exchanges the caller may see, filtered like the exchanges page, newest first."""
    exchanges = filtered(request, filters)
    fields, rows = page(request, exchanges.values(*LISTED), paging, counted=exchanges)
    # The items are built from the ledger's own columns, as ExchangeOut describes them:
    # written out directly, not validated one field at a time (a page costs half as much).
    return json_response({**fields, "items": _listed_items(rows)})


@router.get("/export", summary="Export exchanges", openapi_extra=EXPORT_DOC)
def export_exchanges(
    request: HttpRequest, filters: Query[ExchangeFilters], format: ExportFormat = "csv"
) -> HttpResponseBase:
    """Download every exchange that matches the filters, as CSV or a JSON array."""
    rows = with_details(filtered(request, filters))
    return download(format, "exchanges", EXCHANGE_COLUMNS, rows, exchange_row)


@router.get("/{int:pk}", response={200: ExchangeDetail, 404: Error}, summary="Show an exchange")
def get_exchange(request: HttpRequest, pk: int) -> ExchangeDetail:
    """Return one exchange with its participants, people and evidence."""
    return exchange_detail(_visible(request, pk))


def _get(model: type[Any], pk: int | None, what: str, code: ErrorCode) -> Any:
    if pk is None:
        return None
    row = model._default_manager.filter(pk=pk).first()
    if row is None:
        raise LiaisonError(code, f"there is no {what} with id {pk}")
    return row


def _actor(pk: int | None) -> Actor | None:
    actor: Actor | None = _get(Actor, pk, "counterpart", ErrorCode.UNKNOWN_ACTOR)
    if actor is not None and actor.merged_into_id is not None:
        raise LiaisonError(
            ErrorCode.UNKNOWN_ACTOR,
            f"counterpart {pk} was merged into {actor.merged_into_id}; use that id",
        )
    return actor


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise LiaisonError(ErrorCode.UNKNOWN_UNIT, f"no unit has the code {code!r}")
    return unit


def _changes(values: dict[str, Any]) -> dict[str, Any]:
    """Turn the given API fields into the fields of an ExchangeInput."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name == "date":
            changes["date"] = PartialDate.parse(value)
        elif name == "participants":
            changes["participants"] = tuple(
                (_actor(p["actor_id"]), ParticipantRole(p["role"])) for p in value
            )
        elif name == "people":
            changes["people"] = tuple(
                actions.PersonInput(p["name"], p["role"], _actor(p["org_id"])) for p in value
            )
        elif name == "evidence":
            changes["evidence"] = tuple(evidence_input(EvidenceIn(**e)) for e in value)
        elif name == "mechanism_id":
            changes["mechanism"] = _get(Mechanism, value, "mechanism", ErrorCode.BAD_INPUT)
        elif name == "edition_id":
            changes["edition"] = _get(MechanismEdition, value, "edition", ErrorCode.BAD_INPUT)
        elif name == "unit":
            changes["unit"] = _unit(value) if value else None
        elif name == "topics":
            changes["topics"] = tuple(t.strip() for t in value if t.strip())
        else:
            changes[name] = value
    return changes


@router.post(
    "/",
    response={201: ExchangeDetail, 400: Error, 403: Error},
    summary="Record an exchange",
)
def create_exchange(request: HttpRequest, payload: ExchangeIn) -> Status[ExchangeDetail]:
    """Record an exchange for the caller's unit (or a unit below it); editors and admins."""
    user = user_of(request)
    require_editor(user)
    values = payload.model_dump()
    if values["unit"] is None:
        membership = membership_of(user)
        values["unit"] = membership.unit.code if membership else None
    changes = _changes(values)
    require_unit(user, changes["unit"])
    data = actions.ExchangeInput(**changes)
    exchange = actions.record_exchange(data, actions.Author(user, "api"))
    return Status(201, exchange_detail(_visible(request, exchange.pk)))


@router.patch(
    "/{int:pk}",
    response={200: ExchangeDetail, 400: Error, 403: Error, 404: Error},
    summary="Change an exchange",
)
def update_exchange(request: HttpRequest, pk: int, payload: ExchangePatch) -> ExchangeDetail:
    """Change the given fields of an exchange of the caller's unit (or below)."""
    user = user_of(request)
    # Without prefetched rows: the action replaces participants and must not read a stale cache.
    exchange = get_object_or_404(visible_exchanges(user), pk=pk)
    require_exchange(user, exchange)
    changes = _changes(payload.model_dump(exclude_unset=True))
    if "unit" in changes:
        require_unit(user, changes["unit"])
    moved = "mechanism" in changes and changes["mechanism"] != exchange.mechanism
    if moved and "edition" not in changes:
        # An edition belongs to one mechanism: moving to another leaves it behind.
        changes["edition"] = None
    data = replace(review.exchange_input(exchange), **changes)
    actions.update_exchange(exchange, data, actions.Author(user, "api"))
    return exchange_detail(_visible(request, pk))


@router.post(
    "/{int:pk}/review",
    response={200: ExchangeDetail, 403: Error, 404: Error},
    summary="Accept or reject an exchange",
)
def review_exchange(request: HttpRequest, pk: int, payload: Decision) -> ExchangeDetail:
    """Confirm or reject a proposed exchange of the caller's unit (or below)."""
    user = user_of(request)
    require_exchange(user, _visible(request, pk))
    review.decide("exchange", pk, payload.decision, actions.Author(user, "api"))
    return exchange_detail(_visible(request, pk))
