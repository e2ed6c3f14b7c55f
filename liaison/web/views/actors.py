"""Counterparts: the faceted list (with downloads) and the page of one counterpart."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from liaison.ledger.export import ACTOR_COLUMNS, actor_row
from liaison.ledger.models import (
    Actor,
    ActorMerge,
    ActorName,
    Evidence,
    Exchange,
    Participation,
    Source,
)
from liaison.web.access import visible_exchanges
from liaison.web.kept import kept, scope_of
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
from liaison.web.views.exchanges import list_rows

FACETS = (
    FacetSpec("kind", "Kind", "kind", labels=choice_labels(Actor, "kind")),
    FacetSpec("country", "Country", "country_id", "country__name"),
    FacetSpec("region", "Region", "country__region"),
    FacetSpec("family", "Family", "family"),
    FacetSpec(
        "review_status", "Review", "review_status", labels=choice_labels(Actor, "review_status")
    ),
)
SORTS = {"name": ("name", "id"), "-name": ("-name", "-id"), "kind": ("kind", "name")}
TIMELINE_PER_PAGE = 25
NEIGHBOURS = 30
DENSE_SHARE = 200  # an actor in more than 1 exchange in 200 is read by walking the dates


def search_actors(actors: QuerySet[Actor], q: str) -> QuerySet[Actor]:
    """Keep the actors whose name, alias or abbreviation contains every term."""
    for term in search_terms(q):
        aliases = ActorName.objects.filter(actor=OuterRef("pk"), name__icontains=term)
        actors = actors.filter(Q(name__icontains=term) | Exists(aliases))
    return actors


def contact_figures(user: Any, actor_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Return, per actor, how many visible exchanges it took part in and the last one's date."""
    rows = (
        Participation.objects.filter(actor_id__in=actor_ids, exchange__in=visible_exchanges(user))
        .values("actor_id")
        .annotate(exchanges=Count("exchange_id", distinct=True), last=Max("exchange__date"))
    )
    return {row["actor_id"]: row for row in rows}


@login_required
def actor_list(request: HttpRequest) -> HttpResponseBase:
    """List counterparts with search over names and aliases, facets and downloads."""
    actors = search_actors(Actor.objects.filter(merged_into=None), request.GET.get("q", ""))
    actors = apply_facets(actors, request, FACETS)
    sort, ordering = sort_order(request, SORTS, "name")
    fmt = wants_download(request)
    if fmt:
        rows = actors.order_by(*ordering).select_related("country", "parent")
        rows = rows.prefetch_related("names", "external_ids")
        return download(fmt, "counterparts", ACTOR_COLUMNS, rows, actor_row)
    facets = facet_counts(actors, request, FACETS)
    page = paginate(request, actors.order_by(*ordering).select_related("country"))
    figures = contact_figures(request.user, [a.pk for a in page.object_list])
    rows_with_figures = [(actor, figures.get(actor.pk, {})) for actor in page.object_list]
    context = {
        "rows": rows_with_figures,
        **list_context(request, page, facets, sort, SORTS),
    }
    return render(request, "liaison/actor_list.html", context)


def taken_part(actor: Actor) -> QuerySet[Participation, Any]:
    """Return the ids of the exchanges an actor took part in, read from the index by actor."""
    return Participation.objects.filter(actor=actor).values("exchange_id")


def neighbours(user: Any, actor: Actor) -> list[dict[str, Any]]:
    """Return the actors that share visible exchanges with one actor, and how many they share."""
    shared = visible_exchanges(user).filter(pk__in=taken_part(actor))
    return list(
        Participation.objects.filter(exchange__in=shared)
        .exclude(actor=actor)
        .values("actor_id", "actor__name", "actor__country__name")
        .annotate(shared=Count("exchange_id", distinct=True), last=Max("exchange__date"))
        .order_by("-shared", "actor__name")[:NEIGHBOURS]
    )


def contact_summary(user: Any, actor: Actor, exchanges: QuerySet[Exchange]) -> dict[str, Any]:
    """Return how many visible exchanges an actor took part in, the last, neighbours, sources."""
    totals = exchanges.aggregate(count=Count("id"), last=Max("date"))
    cited = Evidence.objects.filter(exchange__in=exchanges).values("source_id")
    sources = Source.objects.filter(pk__in=cited).defer("text").order_by("-published", "-id")
    return {
        **totals,
        "neighbours": neighbours(user, actor),
        "sources": list(sources[:20]),
    }


def is_dense(count: int) -> bool:
    """Tell whether an actor in `count` exchanges is in more than 1 exchange in DENSE_SHARE."""
    newest = Exchange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return count * DENSE_SHARE >= newest


def timeline_rows(user: Any, actor: Actor, dense: bool) -> QuerySet[Exchange]:
    """Return an actor's visible exchanges, newest first, read the cheaper way for its share.

    When the actor is in many exchanges (dense), walking the date index until a page is full
    is cheap; when in few, reading them by the actor's index and sorting them is.
    """
    if dense:
        took_part = Participation.objects.filter(exchange=OuterRef("pk"), actor=actor)
        rows = visible_exchanges(user).filter(Exists(took_part))
    else:
        rows = visible_exchanges(user).filter(pk__in=taken_part(actor))
    return list_rows(rows.order_by("-date", "-id"))


def _record(actor: Actor) -> dict[str, Any]:
    """Return what the page shows of the counterpart itself: names, structure, merges, history."""
    return {
        "names": list(actor.names.all()),
        "external_ids": list(actor.external_ids.all()),
        "children": list(actor.children.filter(merged_into=None).select_related("country")),
        "statuses": list(actor.statuses.all()),
        "positions": list(actor.positions.select_related("person").order_by("-start", "id")),
        "absorbed": list(actor.absorbed.all()),
        "merges": list(
            ActorMerge.objects.filter(Q(keep=actor) | Q(absorbed=actor))
            .select_related("keep", "absorbed", "user")
            .order_by("-at", "-id")
        ),
        "history": history("Actor", actor.pk),
    }


def _kept_page(user: Any, actor: Actor) -> dict[str, Any]:
    """Return the figures of the page and the parts drawn from them alone, rendered once.

    The first page of the timeline is among them: the same for every reader of a scope until
    the ledger changes, and the page most visits ask for.
    """
    exchanges = visible_exchanges(user).filter(pk__in=taken_part(actor))
    figures = {**contact_summary(user, actor, exchanges), **_record(actor)}
    figures["dense"] = is_dense(figures["count"])
    context = {**figures, "actor": actor}
    first = timeline_rows(user, actor, figures["dense"])[:TIMELINE_PER_PAGE]
    # Our own templates' output, escaped as they render it.
    return {
        **figures,
        "record_html": mark_safe(render_to_string("liaison/_actor_record.html", context)),
        "contacts_html": mark_safe(render_to_string("liaison/_actor_contacts.html", context)),
        "history_html": mark_safe(render_to_string("liaison/_history.html", context)),
        "first_page_html": mark_safe(
            render_to_string("liaison/_exchange_rows.html", {"exchanges": first})
        ),
    }


@login_required
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a counterpart: names, identifiers, structure, positions, exchanges and neighbours."""
    actor = get_object_or_404(
        Actor.objects.select_related("country", "parent", "merged_into"), pk=pk
    )
    # Everything but later pages of the timeline is kept until the ledger changes (every change,
    # merges and names included, is audited): a visit to the first page reads nothing more.
    figures = kept(
        f"actor-page:{actor.pk}:{scope_of(request.user)}", lambda: _kept_page(request.user, actor)
    )
    rows = timeline_rows(request.user, actor, figures["dense"])
    timeline = paginate(request, rows, TIMELINE_PER_PAGE, count=figures["count"])
    context = {
        **figures,
        "actor": actor,
        "timeline": timeline,
        # The kept rows are those of the first page; any other page is read now (lazily: the
        # template reads timeline.object_list only when it has no rows_html).
        "rows_html": figures["first_page_html"] if timeline.number == 1 else "",
        "exchange_count": figures["count"],
        "last_contact": figures["last"],
        **page_links(request, timeline),
    }
    return render(request, "liaison/actor_detail.html", context)
