"""Dialogue mechanisms in the API: list, export, detail with their editions, create, change."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import model_validator

from liaison.domain.dates import PartialDate
from liaison.domain.enums import Channel, DatePrecision, MechanismScope
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger import actions
from liaison.ledger.actions.audit import update_fields
from liaison.ledger.models import Actor, Mechanism, MechanismEdition
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
from liaison.web.api.permissions import require_editor
from liaison.web.listing import download
from liaison.web.views.mechanisms import (
    COLUMNS,
    FACETS,
    SORTS,
    exchange_counts,
    mechanism_row,
    search_mechanisms,
)

router = Router(tags=["mechanisms"])

MechanismSort = Literal["name", "-name", "scope"]


class MechanismFilters(Schema):
    """The search and filters of the mechanisms page."""

    q: str = Field("", description="words in the name, aliases or description")
    scope: MechanismScope | None = None
    region: str | None = None
    sort: MechanismSort = "name"


class MechanismOut(Schema):
    """A mechanism as lists show it."""

    id: int
    key: str | None
    name: str
    aliases: list[str]
    scope: MechanismScope
    region: str
    organizer: Ref | None
    description: str
    edition_count: int
    exchange_count: int = Field(description="exchanges held under it that the caller sees")


class EditionOut(Schema):
    """One meeting of a mechanism."""

    id: int
    name: str
    number: int | None
    date: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD")
    end_date: datetime.date | None
    city: str
    country: str | None
    channel: Channel
    exchange_count: int


class MechanismDetail(MechanismOut):
    """A mechanism with its editions."""

    editions: list[EditionOut]


class MechanismPage(PageBase):
    """A page of mechanisms."""

    items: list[MechanismOut]


class MechanismIn(NamedInput):
    """What it takes to add a mechanism."""

    name: str = Field(min_length=1, max_length=300)
    key: str | None = Field(None, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    scope: MechanismScope
    region: str = Field("", max_length=100)
    organizer_id: int | None = Field(None, description="id of the counterpart that runs it")
    aliases: list[str] = []
    description: str = ""


class MechanismPatch(NamedInput):
    """The fields of a mechanism to change."""

    name: str | None = Field(None, min_length=1, max_length=300)
    key: str | None = Field(None, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    scope: MechanismScope | None = None
    region: str | None = Field(None, max_length=100)
    organizer_id: int | None = None
    aliases: list[str] | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> MechanismPatch:
        refuse_nulls(self, ("name", "scope", "aliases"))
        return self


def _fields(mechanism: Mechanism, editions: int, exchanges: int) -> dict[str, Any]:
    organizer = mechanism.organizer
    return {
        "id": mechanism.pk,
        "key": mechanism.key,
        "name": mechanism.name,
        "aliases": list(mechanism.aliases),
        "scope": mechanism.scope,
        "region": mechanism.region,
        "organizer": Ref(id=organizer.pk, name=organizer.name) if organizer else None,
        "description": mechanism.description,
        "edition_count": editions,
        "exchange_count": exchanges,
    }


def _edition(edition: MechanismEdition, exchanges: int) -> EditionOut:
    when = (
        PartialDate.from_date(edition.date, DatePrecision(edition.date_precision)).isoformat()
        if edition.date
        else None
    )
    return EditionOut(
        id=edition.pk,
        name=edition.name,
        number=edition.number,
        date=when,
        end_date=edition.end_date,
        city=edition.city,
        country=edition.country_id,
        channel=Channel(edition.channel),
        exchange_count=exchanges,
    )


def filtered(filters: MechanismFilters) -> QuerySet[Mechanism]:
    """Return the mechanisms that match the filters, in the chosen order."""
    mechanisms = search_mechanisms(Mechanism.objects.all(), filters.q)
    mechanisms = _apply(mechanisms, filters.model_dump(), FACETS)
    return mechanisms.order_by(*SORTS[filters.sort]).select_related("organizer")


@router.get("/", response=MechanismPage, summary="List mechanisms")
def list_mechanisms(
    request: HttpRequest, filters: Query[MechanismFilters], paging: Query[Paging]
) -> MechanismPage:
    """List dialogue mechanisms and platforms, filtered like the mechanisms page."""
    rows = filtered(filters).annotate(edition_count=Count("editions"))
    fields, items = page(request, rows, paging)
    counts = exchange_counts(user_of(request), "mechanism_id", [m.pk for m in items])
    return MechanismPage(
        **fields,
        items=[MechanismOut(**_fields(m, m.edition_count, counts.get(m.pk, 0))) for m in items],
    )


@router.get("/export", summary="Export mechanisms", openapi_extra=EXPORT_DOC)
def export_mechanisms(
    request: HttpRequest, filters: Query[MechanismFilters], format: ExportFormat = "csv"
) -> HttpResponseBase:
    """Download every mechanism that matches the filters, as CSV or a JSON array."""
    return download(format, "mechanisms", COLUMNS, filtered(filters), mechanism_row)


@router.get("/{int:pk}", response={200: MechanismDetail, 404: Error}, summary="Show a mechanism")
def get_mechanism(request: HttpRequest, pk: int) -> MechanismDetail:
    """Return a mechanism with its editions and how many visible exchanges each held."""
    return _detail(request, pk)


def _values(values: dict[str, Any], mechanism: Mechanism | None) -> dict[str, Any]:
    """Check the given fields as the mechanism form does, and turn them into model fields."""
    others = Mechanism.objects.exclude(pk=mechanism.pk) if mechanism else Mechanism.objects.all()
    if values.get("name") and others.filter(name__iexact=values["name"]).exists():
        raise LiaisonError(ErrorCode.CONFLICT, f"a mechanism named {values['name']!r} exists")
    if values.get("key") and others.filter(key=values["key"]).exists():
        raise LiaisonError(ErrorCode.CONFLICT, f"the key {values['key']!r} belongs to another")
    if "organizer_id" in values:
        pk = values.pop("organizer_id")
        values["organizer"] = Actor.objects.filter(pk=pk).first() if pk is not None else None
        if pk is not None and values["organizer"] is None:
            raise LiaisonError(ErrorCode.UNKNOWN_ACTOR, f"there is no counterpart with id {pk}")
    if "aliases" in values:
        values["aliases"] = [a.strip() for a in values["aliases"] if a.strip()]
    if "key" in values:
        values["key"] = values["key"] or None
    if "scope" in values:
        values["scope"] = str(values["scope"])
    return values


def _detail(request: HttpRequest, pk: int) -> MechanismDetail:
    user = user_of(request)
    mechanism = get_object_or_404(Mechanism.objects.select_related("organizer"), pk=pk)
    editions = list(mechanism.editions.all())
    per_edition = exchange_counts(user, "edition_id", [e.pk for e in editions])
    total = exchange_counts(user, "mechanism_id", [mechanism.pk]).get(mechanism.pk, 0)
    return MechanismDetail(
        **_fields(mechanism, len(editions), total),
        editions=[_edition(e, per_edition.get(e.pk, 0)) for e in editions],
    )


@router.post(
    "/",
    response={201: MechanismDetail, 400: Error, 403: Error, 409: Error},
    summary="Add a mechanism",
)
def create_mechanism(request: HttpRequest, payload: MechanismIn) -> Status[MechanismDetail]:
    """Add a dialogue mechanism or platform; editors and admins."""
    user = user_of(request)
    require_editor(user)
    values = _values(payload.model_dump(), None)
    mechanism, _ = actions.upsert_mechanism(values, actions.Author(user, "api"))
    return Status(201, _detail(request, mechanism.pk))


@router.patch(
    "/{int:pk}",
    response={200: MechanismDetail, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="Change a mechanism",
)
def update_mechanism(request: HttpRequest, pk: int, payload: MechanismPatch) -> MechanismDetail:
    """Change the given fields of a mechanism; editors and admins."""
    user = user_of(request)
    mechanism = get_object_or_404(Mechanism, pk=pk)
    require_editor(user)
    values = _values(payload.model_dump(exclude_unset=True), mechanism)
    # No action renames a mechanism (upsert_mechanism finds one by key or name); the pages'
    # form uses the same audited field update.
    with transaction.atomic():
        update_fields(actions.Author(user, "api"), "update_mechanism", mechanism, values)
    return _detail(request, pk)
