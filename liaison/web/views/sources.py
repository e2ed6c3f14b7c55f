"""Sources: the list of documents and the page of one, with every exchange and claim in it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from liaison.ledger.models import Evidence, Source
from liaison.web.access import visible_exchanges, visible_sources
from liaison.web.listing import (
    FacetSpec,
    apply_facets,
    download,
    facet_counts,
    list_context,
    paginate,
    search_terms,
    sort_order,
    wants_download,
)
from liaison.web.views.audit import history
from liaison.web.views.exchanges import with_details

FACETS = (
    FacetSpec("outlet", "Outlet", "outlet"),
    FacetSpec("year", "Published", "published__year"),
    FacetSpec("language", "Language", "language"),
)
SORTS = {
    "-published": ("-published", "-id"),
    "published": ("published", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "id"),
}
COLUMNS = ("id", "title", "outlet", "published", "url", "language", "content_hash")


def source_row(source: Source) -> dict[str, Any]:
    """Flatten a source into one row (without its text)."""
    return {column: getattr(source, column) for column in COLUMNS}


def search_sources(sources: QuerySet[Source], q: str) -> QuerySet[Source]:
    """Keep the sources whose title, outlet, address or text contains every term."""
    for term in search_terms(q):
        sources = sources.filter(
            Q(title__icontains=term)
            | Q(outlet__icontains=term)
            | Q(url__icontains=term)
            | Q(text__icontains=term)
        )
    return sources


@login_required
def source_list(request: HttpRequest) -> HttpResponseBase:
    """List sources with search, facets and downloads."""
    sources = search_sources(visible_sources(request.user), request.GET.get("q", ""))
    sources = apply_facets(sources, request, FACETS)
    sort, ordering = sort_order(request, SORTS, "-published")
    fmt = wants_download(request)
    if fmt:
        return download(fmt, "sources", COLUMNS, sources.order_by(*ordering), source_row)
    facets = facet_counts(sources, request, FACETS)
    page = paginate(request, sources.order_by(*ordering).defer("text"))
    ids = [s.pk for s in page.object_list]
    shown = visible_exchanges(request.user)
    counted = (
        Evidence.objects.filter(source_id__in=ids)
        .filter(Q(exchange__in=shown) | Q(claim__isnull=False))
        .values("source_id")
        .annotate(
            exchanges=Count("exchange_id", distinct=True), claims=Count("claim_id", distinct=True)
        )
    )
    figures = {row["source_id"]: row for row in counted}
    rows = [(source, figures.get(source.pk, {})) for source in page.object_list]
    context = {"rows": rows, **list_context(request, page, facets, sort, SORTS)}
    return render(request, "liaison/source_list.html", context)


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a source with its text, every visible exchange and every claim found in it."""
    source = get_object_or_404(visible_sources(request.user), pk=pk)
    shown = visible_exchanges(request.user)
    evidence = list(
        source.evidence.filter(Q(exchange__in=shown) | Q(exchange__isnull=True))
        .select_related("source", "claim")
        .order_by("start", "id")
    )
    exchange_ids = {e.exchange_id for e in evidence if e.exchange_id}
    exchanges = with_details(shown.filter(pk__in=exchange_ids)).order_by("-date", "-id")
    by_exchange: dict[int, list[Evidence]] = {}
    for item in evidence:
        if item.exchange_id:
            by_exchange.setdefault(item.exchange_id, []).append(item)
    context = {
        "source": source,
        "spans": [(e.start, e.end) for e in evidence if e.start is not None and e.end is not None],
        "exchanges": [(x, by_exchange.get(x.pk, [])) for x in exchanges],
        "claims": source.claims.prefetch_related("evidence__source"),
        "history": history("Source", source.pk),
    }
    return render(request, "liaison/source_detail.html", context)
