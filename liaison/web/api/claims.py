"""Claims (published figures) in the API: list, export, detail, record and review."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from liaison.domain.enums import ReviewStatus
from liaison.ledger import actions, review
from liaison.ledger.models import Claim
from liaison.web.access import visible_sources
from liaison.web.api.auth import user_of
from liaison.web.api.common import (
    EXPORT_DOC,
    Error,
    ExportFormat,
    NamedInput,
    PageBase,
    Paging,
    page,
)
from liaison.web.api.exchanges import Decision
from liaison.web.api.permissions import require_editor
from liaison.web.api.sources import EvidenceIn, EvidenceOut, evidence_input, evidence_out
from liaison.web.listing import download, search_terms

router = Router(tags=["claims"])

ClaimSort = Literal["-as_of", "as_of", "value", "-value"]
SORTS = {
    "-as_of": ("-as_of", "id"),
    "as_of": ("as_of", "id"),
    "value": ("value", "id"),
    "-value": ("-value", "id"),
}
COLUMNS = ("id", "value", "qualifier", "subject", "as_of", "source_id", "review_status")


class ClaimFilters(Schema):
    """Search and filters over claims."""

    q: str = Field("", description="words in the subject or qualifier")
    review_status: ReviewStatus | None = None
    source: int | None = Field(None, description="id of the source that states it")
    year: int | None = Field(None, description="year of the date it speaks of")
    sort: ClaimSort = "-as_of"


class ClaimOut(Schema):
    """A published figure: "more than 600 political parties", as of a date."""

    id: int
    value: float
    qualifier: str
    subject: str
    as_of: datetime.date | None
    source_id: int | None
    review_status: ReviewStatus
    evidence: list[EvidenceOut]


class ClaimPage(PageBase):
    """A page of claims."""

    items: list[ClaimOut]


class ClaimIn(NamedInput):
    """What it takes to record a claim."""

    value: float
    subject: str = Field(min_length=1, max_length=500, examples=["political parties"])
    qualifier: str = Field("exactly", min_length=1, max_length=30, examples=["more than"])
    as_of: datetime.date | None = None
    review_status: ReviewStatus = ReviewStatus.CONFIRMED
    evidence: EvidenceIn | None = None


def claim_row(claim: Claim) -> dict[str, Any]:
    """Flatten a claim into one row."""
    return {column: getattr(claim, column) for column in COLUMNS}


def _out(claim: Claim) -> ClaimOut:
    return ClaimOut(
        id=claim.pk,
        value=claim.value,
        qualifier=claim.qualifier,
        subject=claim.subject,
        as_of=claim.as_of,
        source_id=claim.source_id,
        review_status=ReviewStatus(claim.review_status),
        evidence=[evidence_out(e) for e in claim.evidence.all()],
    )


def visible_claims(request: HttpRequest) -> QuerySet[Claim]:
    """Return the claims the caller may see: those of no source or of a source they see."""
    sources = visible_sources(user_of(request))
    return Claim.objects.filter(Q(source__isnull=True) | Q(source__in=sources))


def filtered(request: HttpRequest, filters: ClaimFilters) -> QuerySet[Claim]:
    """Return the visible claims that match the filters, in the chosen order."""
    claims = visible_claims(request)
    for term in search_terms(filters.q):
        claims = claims.filter(Q(subject__icontains=term) | Q(qualifier__icontains=term))
    if filters.review_status is not None:
        claims = claims.filter(review_status=filters.review_status)
    if filters.source is not None:
        claims = claims.filter(source_id=filters.source)
    if filters.year is not None:
        claims = claims.filter(as_of__year=filters.year)
    return claims.order_by(*SORTS[filters.sort])


def _visible(request: HttpRequest, pk: int) -> Claim:
    return get_object_or_404(visible_claims(request).prefetch_related("evidence"), pk=pk)


@router.get("/", response=ClaimPage, summary="List claims")
def list_claims(
    request: HttpRequest, filters: Query[ClaimFilters], paging: Query[Paging]
) -> ClaimPage:
    """List the claims the caller may see."""
    rows = filtered(request, filters).prefetch_related("evidence")
    fields, items = page(request, rows, paging)
    return ClaimPage(**fields, items=[_out(c) for c in items])


@router.get("/export", summary="Export claims", openapi_extra=EXPORT_DOC)
def export_claims(
    request: HttpRequest, filters: Query[ClaimFilters], format: ExportFormat = "csv"
) -> HttpResponseBase:
    """Download every claim that matches the filters, as CSV or a JSON array."""
    return download(format, "claims", COLUMNS, filtered(request, filters), claim_row)


@router.get("/{int:pk}", response={200: ClaimOut, 404: Error}, summary="Show a claim")
def get_claim(request: HttpRequest, pk: int) -> ClaimOut:
    """Return one claim with the span that states it."""
    return _out(_visible(request, pk))


@router.post("/", response={201: ClaimOut, 400: Error, 403: Error}, summary="Record a claim")
def create_claim(request: HttpRequest, payload: ClaimIn) -> Status[ClaimOut]:
    """Record a published figure with the span that states it; editors and admins."""
    user = user_of(request)
    require_editor(user)
    claim = actions.record_claim(
        value=payload.value,
        subject=payload.subject,
        qualifier=payload.qualifier,
        as_of=payload.as_of,
        evidence=evidence_input(payload.evidence) if payload.evidence else None,
        review_status=payload.review_status,
        author=actions.Author(user, "api"),
    )
    return Status(201, _out(_visible(request, claim.pk)))


@router.post(
    "/{int:pk}/review",
    response={200: ClaimOut, 403: Error, 404: Error},
    summary="Accept or reject a claim",
)
def review_claim(request: HttpRequest, pk: int, payload: Decision) -> ClaimOut:
    """Confirm or reject a proposed claim; editors and admins."""
    user = user_of(request)
    _visible(request, pk)
    require_editor(user)
    review.decide("claim", pk, payload.decision, actions.Author(user, "api"))
    return _out(_visible(request, pk))
