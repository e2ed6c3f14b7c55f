"""Counterparts (actors) in the API: list, export, detail, create, change and review."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import model_validator

from liaison.domain.enums import (
    ActorKind,
    GovernmentStatus,
    NameType,
    OrganizationType,
    ReviewStatus,
)
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger import actions, review
from liaison.ledger.export import ACTOR_COLUMNS, actor_row
from liaison.ledger.models import Actor, Participation
from liaison.web.access import visible_exchanges
from liaison.web.api.auth import user_of
from liaison.web.api.common import (
    EXPORT_DOC,
    Error,
    ExportFormat,
    NamedInput,
    PageBase,
    Paging,
    Ref,
    page,
    refuse_nulls,
)
from liaison.web.api.common import apply_filters as _apply
from liaison.web.api.exchanges import Decision
from liaison.web.api.permissions import require_editor
from liaison.web.listing import download
from liaison.web.views.actors import FACETS, SORTS, contact_figures, search_actors

router = Router(tags=["counterparts"])

ActorSort = Literal["name", "-name", "kind"]


class ActorFilters(Schema):
    """The search and filters of the counterparts page."""

    q: str = Field("", description="words in the name, an alias or an abbreviation")
    kind: ActorKind | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-3")
    region: str | None = Field(None, description="UN M49 region of the country")
    family: str | None = Field(None, description="ideology family")
    review_status: ReviewStatus | None = None
    sort: ActorSort = "name"


class NameOut(Schema):
    """A further name: original-language, abbreviation, alias or former name."""

    name: str
    name_type: NameType
    lang: str
    script: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class ExternalIdOut(Schema):
    """An identifier in another dataset, with the address of its record."""

    scheme: str
    value: str
    url: str


class StatusOut(Schema):
    """A ruling, coalition or opposition period."""

    status: GovernmentStatus
    start: datetime.date | None
    end: datetime.date | None
    note: str


class ActorOut(Schema):
    """A counterpart as lists show it, with its contact figures over visible exchanges."""

    id: int
    key: str | None
    name: str
    kind: ActorKind
    org_type: str
    country: str | None = Field(description="ISO 3166 alpha-3")
    family: str
    parent: Ref | None
    founded: int | None
    dissolved: int | None
    description: str
    review_status: ReviewStatus
    merged_into: Ref | None
    names: list[NameOut]
    external_ids: list[ExternalIdOut]
    exchange_count: int = Field(description="exchanges it took part in that the caller sees")
    last_contact: datetime.date | None


class ActorDetail(ActorOut):
    """A counterpart with its government-status periods."""

    statuses: list[StatusOut]


class ActorPage(PageBase):
    """A page of counterparts."""

    items: list[ActorOut]


class NameIn(NamedInput):
    """A further name of a new counterpart."""

    name: str = Field(min_length=1, max_length=300)
    name_type: NameType = NameType.ALIAS
    lang: str = Field("", max_length=8)
    script: str = Field("", max_length=4)


class ExternalIdIn(NamedInput):
    """An identifier of a new counterpart in another dataset."""

    scheme: str = Field(min_length=1, max_length=20, examples=["wikidata"])
    value: str = Field(min_length=1, max_length=300, examples=["Q83162"])


class ActorIn(NamedInput):
    """What it takes to add a counterpart to the registry."""

    name: str = Field(min_length=1, max_length=300)
    kind: ActorKind
    country: str | None = Field(None, description="ISO 3166 alpha-3")
    org_type: OrganizationType | None = None
    family: str = Field("", max_length=30)
    parent_id: int | None = None
    founded: int | None = Field(None, ge=0, le=9999)
    dissolved: int | None = Field(None, ge=0, le=9999)
    description: str = ""
    review_status: ReviewStatus = ReviewStatus.CONFIRMED
    names: list[NameIn] = []
    external_ids: list[ExternalIdIn] = []


class ActorPatch(NamedInput):
    """The fields of a counterpart to change (names and identifiers are not changed here)."""

    name: str | None = Field(None, min_length=1, max_length=300)
    kind: ActorKind | None = None
    country: str | None = None
    org_type: OrganizationType | None = None
    family: str | None = Field(None, max_length=30)
    parent_id: int | None = None
    founded: int | None = Field(None, ge=0, le=9999)
    dissolved: int | None = Field(None, ge=0, le=9999)
    description: str | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> ActorPatch:
        refuse_nulls(self, ("name", "kind"))
        return self


def _ref(actor: Actor | None) -> Ref | None:
    return Ref(id=actor.pk, name=actor.name) if actor is not None else None


def _fields(actor: Actor, figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": actor.pk,
        "key": actor.key,
        "name": actor.name,
        "kind": actor.kind,
        "org_type": actor.org_type,
        "country": actor.country_id,
        "family": actor.family,
        "parent": _ref(actor.parent),
        "founded": actor.founded,
        "dissolved": actor.dissolved,
        "description": actor.description,
        "review_status": actor.review_status,
        "merged_into": _ref(actor.merged_into),
        "names": [
            NameOut(
                name=n.name,
                name_type=NameType(n.name_type),
                lang=n.lang,
                script=n.script,
                valid_from=n.valid_from,
                valid_to=n.valid_to,
            )
            for n in actor.names.all()
        ],
        "external_ids": [
            ExternalIdOut(scheme=i.scheme, value=i.value, url=i.url)
            for i in actor.external_ids.all()
        ],
        "exchange_count": figures.get("exchanges", 0),
        "last_contact": figures.get("last"),
    }


def with_details(actors: QuerySet[Actor]) -> QuerySet[Actor]:
    """Fetch what the API shows of each counterpart in a fixed number of queries."""
    return actors.select_related("parent", "merged_into").prefetch_related("names", "external_ids")


def actor_detail(request: HttpRequest, pk: int) -> ActorDetail:
    """Return a counterpart with its figures over the exchanges the caller sees."""
    user = user_of(request)
    actor = get_object_or_404(with_details(Actor.objects.all()), pk=pk)
    exchanges = visible_exchanges(user).filter(
        Exists(Participation.objects.filter(exchange=OuterRef("pk"), actor=actor))
    )
    figures = {
        "exchanges": exchanges.count(),
        "last": exchanges.aggregate(last=Max("date"))["last"],
    }
    statuses = [
        StatusOut(status=GovernmentStatus(s.status), start=s.start, end=s.end, note=s.note)
        for s in actor.statuses.all()
    ]
    return ActorDetail(**_fields(actor, figures), statuses=statuses)


def filtered(filters: ActorFilters) -> QuerySet[Actor]:
    """Return the counterparts (not merged away) that match the filters, in the chosen order."""
    actors = search_actors(Actor.objects.filter(merged_into=None), filters.q)
    actors = _apply(actors, filters.model_dump(), FACETS)
    return actors.order_by(*SORTS[filters.sort])


@router.get("/", response=ActorPage, summary="List counterparts")
def list_actors(
    request: HttpRequest, filters: Query[ActorFilters], paging: Query[Paging]
) -> ActorPage:
    """List counterparts, filtered like the counterparts page, by name."""
    fields, rows = page(request, with_details(filtered(filters)), paging)
    figures = contact_figures(user_of(request), [a.pk for a in rows])
    return ActorPage(**fields, items=[ActorOut(**_fields(a, figures.get(a.pk, {}))) for a in rows])


@router.get("/export", summary="Export counterparts", openapi_extra=EXPORT_DOC)
def export_actors(
    request: HttpRequest, filters: Query[ActorFilters], format: ExportFormat = "csv"
) -> HttpResponseBase:
    """Download every counterpart that matches the filters, as CSV or a JSON array."""
    rows = filtered(filters).select_related("country", "parent")
    rows = rows.prefetch_related("names", "external_ids")
    return download(format, "counterparts", ACTOR_COLUMNS, rows, actor_row)


@router.get("/{int:pk}", response={200: ActorDetail, 404: Error}, summary="Show a counterpart")
def get_actor(request: HttpRequest, pk: int) -> ActorDetail:
    """Return one counterpart with its names, identifiers, status periods and contact figures."""
    return actor_detail(request, pk)


def _parent(pk: int | None, actor: Actor | None = None) -> Actor | None:
    if pk is None:
        return None
    parent = Actor.objects.filter(pk=pk).first()
    if parent is None:
        raise LiaisonError(ErrorCode.UNKNOWN_ACTOR, f"there is no counterpart with id {pk}")
    if actor is not None and parent.pk == actor.pk:
        raise LiaisonError(ErrorCode.BAD_INPUT, "a counterpart cannot be its own parent")
    return parent


@router.post(
    "/",
    response={201: ActorDetail, 400: Error, 403: Error, 409: Error},
    summary="Add a counterpart",
)
def create_actor(request: HttpRequest, payload: ActorIn) -> Status[ActorDetail]:
    """Add a counterpart to the registry, with its names and identifiers; editors and admins."""
    user = user_of(request)
    require_editor(user)
    data = actions.ActorInput(
        name=payload.name,
        kind=payload.kind,
        country=payload.country,
        org_type=payload.org_type or "",
        family=payload.family,
        parent=_parent(payload.parent_id),
        founded=payload.founded,
        dissolved=payload.dissolved,
        description=payload.description,
        review_status=payload.review_status,
        names=tuple(
            actions.NameInput(n.name, n.name_type, n.lang, n.script) for n in payload.names
        ),
        external_ids=tuple((i.scheme, i.value) for i in payload.external_ids),
    )
    actor = actions.create_actor(data, actions.Author(user, "api"))
    return Status(201, actor_detail(request, actor.pk))


@router.patch(
    "/{int:pk}",
    response={200: ActorDetail, 400: Error, 403: Error, 404: Error},
    summary="Change a counterpart",
)
def update_actor(request: HttpRequest, pk: int, payload: ActorPatch) -> ActorDetail:
    """Change the given fields of a counterpart; editors and admins."""
    user = user_of(request)
    actor = get_object_or_404(Actor, pk=pk)
    require_editor(user)
    values = payload.model_dump(exclude_unset=True)
    if "parent_id" in values:
        values["parent"] = _parent(values.pop("parent_id"), actor)
    if "org_type" in values:
        values["org_type"] = values["org_type"] or ""
    if "country" in values:
        values["country"] = values["country"] or None
    actions.update_actor(actor, values, actions.Author(user, "api"))
    return actor_detail(request, pk)


@router.post(
    "/{int:pk}/review",
    response={200: ActorDetail, 403: Error, 404: Error},
    summary="Accept or reject a counterpart",
)
def review_actor(request: HttpRequest, pk: int, payload: Decision) -> ActorDetail:
    """Confirm or reject a proposed counterpart; editors and admins."""
    user = user_of(request)
    get_object_or_404(Actor, pk=pk)
    require_editor(user)
    review.decide("actor", pk, payload.decision, actions.Author(user, "api"))
    return actor_detail(request, pk)
