"""Dialogue mechanisms and platforms: the list and the page of one, with its editions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from liaison.ledger.models import Exchange, Mechanism, Participation
from liaison.web.access import visible_exchanges
from liaison.web.listing import (
    FacetSpec,
    apply_facets,
    choice_labels,
    download,
    facet_counts,
    list_context,
    page_links,
    paginate,
    search_terms,
    sort_order,
    wants_download,
)
from liaison.web.views.audit import history
from liaison.web.views.exchanges import with_details

FACETS = (
    FacetSpec("scope", "Scope", "scope", labels=choice_labels(Mechanism, "scope")),
    FacetSpec("region", "Region", "region"),
)
SORTS = {"name": ("name",), "-name": ("-name",), "scope": ("scope", "name")}
COLUMNS = ("id", "key", "name", "scope", "region", "organizer", "aliases", "description")


def mechanism_row(mechanism: Mechanism) -> dict[str, Any]:
    """Flatten a mechanism into one row."""
    return {
        "id": mechanism.pk,
        "key": mechanism.key or "",
        "name": mechanism.name,
        "scope": mechanism.scope,
        "region": mechanism.region,
        "organizer": mechanism.organizer.name if mechanism.organizer else "",
        "aliases": "; ".join(mechanism.aliases),
        "description": mechanism.description,
    }


def search_mechanisms(mechanisms: QuerySet[Mechanism], q: str) -> QuerySet[Mechanism]:
    """Keep the mechanisms whose name, aliases or description contain every term."""
    for term in search_terms(q):
        mechanisms = mechanisms.filter(
            Q(name__icontains=term) | Q(aliases__icontains=term) | Q(description__icontains=term)
        )
    return mechanisms


def exchange_counts(user: Any, field: str, ids: list[Any]) -> dict[Any, int]:
    """Count the visible exchanges per value of a field (mechanism_id, edition_id, country_id)."""
    rows = (
        visible_exchanges(user)
        .filter(**{f"{field}__in": ids})
        .order_by()
        .values(field)
        .annotate(n=Count("id"))
    )
    return {row[field]: row["n"] for row in rows}


@login_required
def mechanism_list(request: HttpRequest) -> HttpResponseBase:
    """List mechanisms with search, facets and downloads."""
    mechanisms = search_mechanisms(Mechanism.objects.all(), request.GET.get("q", ""))
    mechanisms = apply_facets(mechanisms, request, FACETS)
    sort, ordering = sort_order(request, SORTS, "name")
    mechanisms = mechanisms.order_by(*ordering).select_related("organizer")
    fmt = wants_download(request)
    if fmt:
        return download(fmt, "mechanisms", COLUMNS, mechanisms, mechanism_row)
    facets = facet_counts(mechanisms, request, FACETS)
    page = paginate(request, mechanisms.annotate(edition_count=Count("editions")))
    counts = exchange_counts(request.user, "mechanism_id", [m.pk for m in page.object_list])
    rows = [(mechanism, counts.get(mechanism.pk, 0)) for mechanism in page.object_list]
    context = {"rows": rows, **list_context(request, page, facets, sort, SORTS)}
    return render(request, "liaison/mechanism_list.html", context)


@login_required
def mechanism_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a mechanism: its editions, the exchanges held under it and who took part."""
    mechanism = get_object_or_404(Mechanism.objects.select_related("organizer"), pk=pk)
    editions = list(mechanism.editions.select_related("country"))
    counts = exchange_counts(request.user, "edition_id", [e.pk for e in editions])
    exchanges: QuerySet[Exchange] = visible_exchanges(request.user).filter(mechanism=mechanism)
    page = paginate(request, with_details(exchanges.order_by("-date", "-id")), 25)
    participants = (
        Participation.objects.filter(exchange__in=exchanges)
        .values("actor_id", "actor__name", "actor__country__name")
        .annotate(n=Count("exchange_id", distinct=True))
        .order_by("-n", "actor__name")[:40]
    )
    context = {
        "mechanism": mechanism,
        "editions": [(edition, counts.get(edition.pk, 0)) for edition in editions],
        "participants": participants,
        "exchange_count": page.paginator.count,
        "history": history("Mechanism", mechanism.pk),
        **page_links(request, page),
    }
    return render(request, "liaison/mechanism_detail.html", context)
