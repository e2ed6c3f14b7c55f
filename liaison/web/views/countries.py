"""Countries: the list (region, development status, groups, counterparts) and a country's page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from liaison.ledger.models import Actor, Country, GroupMembership
from liaison.web.access import visible_exchanges
from liaison.web.listing import (
    FacetSpec,
    apply_facets,
    download,
    facet_counts,
    list_context,
    page_links,
    paginate,
    search_terms,
    sort_order,
    wants_download,
)
from liaison.web.views.actors import contact_figures
from liaison.web.views.audit import history
from liaison.web.views.exchanges import with_details
from liaison.web.views.mechanisms import exchange_counts

FACETS = (
    FacetSpec("region", "Region", "region"),
    FacetSpec("subregion", "Sub-region", "subregion"),
    FacetSpec("development_status", "Development", "development_status"),
    FacetSpec("group", "Group", "memberships__group_id"),
)
SORTS = {"name": ("name",), "-name": ("-name",), "region": ("region", "name")}
COLUMNS = ("iso3", "iso2", "name", "region", "subregion", "development_status", "un_member")


def country_row(country: Country) -> dict[str, Any]:
    """Flatten a country into one row."""
    return {column: getattr(country, column) for column in COLUMNS}


def search_countries(countries: QuerySet[Country], q: str) -> QuerySet[Country]:
    """Keep the countries whose name or code contains every term."""
    for term in search_terms(q):
        countries = countries.filter(
            Q(name__icontains=term) | Q(official_name__icontains=term) | Q(iso3__iexact=term)
        )
    return countries


def current_groups(codes: list[str]) -> dict[str, list[str]]:
    """Return the groups each country belongs to now (membership without an end)."""
    groups: dict[str, list[str]] = defaultdict(list)
    memberships = GroupMembership.objects.filter(country_id__in=codes, left__isnull=True)
    for country_id, group_id in memberships.values_list("country_id", "group_id"):
        groups[country_id].append(group_id)
    return groups


@login_required
def country_list(request: HttpRequest) -> HttpResponseBase:
    """List countries with their region, development status, groups and counterparts."""
    countries = search_countries(Country.objects.all(), request.GET.get("q", ""))
    countries = apply_facets(countries, request, FACETS)
    sort, ordering = sort_order(request, SORTS, "name")
    if request.GET.get("group"):
        countries = countries.distinct()
    fmt = wants_download(request)
    if fmt:
        return download(fmt, "countries", COLUMNS, countries.order_by(*ordering), country_row)
    facets = facet_counts(countries, request, FACETS)
    counterparts = Count("actors", filter=Q(actors__merged_into=None), distinct=True)
    page = paginate(request, countries.order_by(*ordering).annotate(counterparts=counterparts))
    codes = [c.iso3 for c in page.object_list]
    held = exchange_counts(request.user, "country_id", codes)
    groups = current_groups(codes)
    rows = [(c, groups.get(c.iso3, []), held.get(c.iso3, 0)) for c in page.object_list]
    context = {"rows": rows, **list_context(request, page, facets, sort, SORTS)}
    return render(request, "liaison/country_list.html", context)


@login_required
def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    """Show a country: its dated group memberships, counterparts and the exchanges held there."""
    country = get_object_or_404(Country, iso3=iso3.upper())
    actors = list(Actor.objects.filter(country=country, merged_into=None).order_by("name")[:500])
    figures = contact_figures(request.user, [a.pk for a in actors])
    exchanges = visible_exchanges(request.user).filter(country=country)
    page = paginate(request, with_details(exchanges.order_by("-date", "-id")), 25)
    context = {
        "country": country,
        "memberships": country.memberships.select_related("group").order_by("group_id"),
        "actors": [(actor, figures.get(actor.pk, {})) for actor in actors],
        "in_contact": sum(1 for a in actors if a.pk in figures),
        "exchange_count": page.paginator.count,
        "history": history("Country", country.iso3),
        **page_links(request, page),
    }
    return render(request, "liaison/country_detail.html", context)
