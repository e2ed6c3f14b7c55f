"""Sources in the API: list, export and detail; the evidence spans cited by exchanges, claims."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from liaison.ledger import actions
from liaison.ledger.models import Evidence, Source
from liaison.web.access import visible_exchanges, visible_sources
from liaison.web.api.auth import user_of
from liaison.web.api.common import (
    EXPORT_DOC,
    Error,
    ExportFormat,
    Input,
    PageBase,
    Paging,
    page,
)
from liaison.web.api.common import apply_filters as _apply
from liaison.web.listing import download
from liaison.web.views.sources import COLUMNS, FACETS, SORTS, search_sources, source_row

router = Router(tags=["sources"])

SourceSort = Literal["-published", "published", "title", "-title"]


class SourceFilters(Schema):
    """The search and filters of the sources page."""

    q: str = Field("", description="words in title, outlet, address or text")
    outlet: str | None = None
    year: int | None = Field(None, description="year of publication")
    language: str | None = None
    sort: SourceSort = "-published"


class SourceIn(Input):
    """A document behind an exchange or a claim; the same text is stored once."""

    url: str = Field("", max_length=1000)
    title: str = Field("", max_length=500)
    outlet: str = Field("", max_length=200)
    published: datetime.date | None = None
    language: str = Field("", max_length=8)
    text: str = ""


class EvidenceIn(Input):
    """A span of a source: the sentence that proves it, and where it stands in the text."""

    source: SourceIn
    text: str = Field(min_length=1)
    start: int | None = Field(None, ge=0)
    end: int | None = Field(None, ge=0)
    confidence: float | None = Field(None, ge=0, le=1)


class EvidenceOut(Schema):
    """A span of a source."""

    source_id: int
    text: str
    start: int | None
    end: int | None
    confidence: float | None


class SpanOut(EvidenceOut):
    """A span of a source, with what it is evidence of."""

    exchange_id: int | None
    claim_id: int | None


class SourceOut(Schema):
    """A source as lists show it (without its text)."""

    id: int
    url: str
    title: str
    outlet: str
    published: datetime.date | None
    language: str
    content_hash: str
    doc: str
    version: int
    supersedes_id: int | None
    extracted_at: datetime.datetime | None
    created_at: datetime.datetime


class SourceDetail(SourceOut):
    """A source with its text and every span of it the caller may see."""

    text: str
    evidence: list[SpanOut]


class SourcePage(PageBase):
    """A page of sources."""

    items: list[SourceOut]


def evidence_input(data: EvidenceIn) -> actions.EvidenceInput:
    """Turn an evidence span of a request into the action's input."""
    return actions.EvidenceInput(
        source=actions.SourceInput(**data.source.model_dump()),
        text=data.text,
        start=data.start,
        end=data.end,
        confidence=data.confidence,
    )


def evidence_out(evidence: Evidence) -> EvidenceOut:
    """Return a span of a source."""
    return EvidenceOut(
        source_id=evidence.source_id,
        text=evidence.text,
        start=evidence.start,
        end=evidence.end,
        confidence=evidence.confidence,
    )


def _fields(source: Source) -> dict[str, Any]:
    return {
        "id": source.pk,
        "url": source.url,
        "title": source.title,
        "outlet": source.outlet,
        "published": source.published,
        "language": source.language,
        "content_hash": source.content_hash,
        "doc": source.doc,
        "version": source.version,
        "supersedes_id": source.supersedes_id,
        "extracted_at": source.extracted_at,
        "created_at": source.created_at,
    }


def filtered(request: HttpRequest, filters: SourceFilters) -> QuerySet[Source]:
    """Return the visible sources that match the filters, in the chosen order."""
    sources = search_sources(visible_sources(user_of(request)), filters.q)
    sources = _apply(sources, filters.model_dump(), FACETS)
    return sources.order_by(*SORTS[filters.sort])


@router.get("/", response=SourcePage, summary="List sources")
def list_sources(
    request: HttpRequest, filters: Query[SourceFilters], paging: Query[Paging]
) -> SourcePage:
    """List the sources the caller may see, filtered like the sources page."""
    fields, rows = page(request, filtered(request, filters).defer("text"), paging)
    return SourcePage(**fields, items=[SourceOut(**_fields(s)) for s in rows])


@router.get("/export", summary="Export sources", openapi_extra=EXPORT_DOC)
def export_sources(
    request: HttpRequest, filters: Query[SourceFilters], format: ExportFormat = "csv"
) -> HttpResponseBase:
    """Download every source that matches the filters (without texts), as CSV or JSON."""
    return download(format, "sources", COLUMNS, filtered(request, filters), source_row)


@router.get("/{int:pk}", response={200: SourceDetail, 404: Error}, summary="Show a source")
def get_source(request: HttpRequest, pk: int) -> SourceDetail:
    """Return a source with its text and the spans cited by visible exchanges and by claims."""
    user = user_of(request)
    source = get_object_or_404(visible_sources(user), pk=pk)
    spans = source.evidence.filter(
        Q(exchange__in=visible_exchanges(user)) | Q(exchange__isnull=True)
    ).order_by("start", "id")
    evidence = [
        SpanOut(**evidence_out(e).model_dump(), exchange_id=e.exchange_id, claim_id=e.claim_id)
        for e in spans
    ]
    return SourceDetail(**_fields(source), text=source.text, evidence=evidence)
