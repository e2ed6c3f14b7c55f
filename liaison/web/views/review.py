"""The review queue: what ingest proposed, beside its evidence; accept, correct, reject, merge."""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from liaison.domain.enums import ReviewStatus
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions, review
from liaison.ledger.models import Actor, ActorMerge, Evidence, Exchange, Participation
from liaison.web.access import visible_exchanges
from liaison.web.forms.fields import actor_label
from liaison.web.forms.registry import MergeForm
from liaison.web.listing import page_links, paginate, search_terms
from liaison.web.permissions import can_edit_exchange, editable_units, writer_required
from liaison.web.views.actors import search_actors
from liaison.web.views.entry import author, next_url
from liaison.web.views.exchanges import with_details

PER_PAGE = 20
KINDS = ("exchange", "actor")
SUGGESTIONS = 8
SAME_NAME = 0.8  # names this alike may be one counterpart whatever their countries
EVIDENCE_PER_ACTOR = 3


def queued_exchanges(user: Any) -> QuerySet[Exchange]:
    """Return the proposed exchanges a user may see and review, oldest first."""
    rows = visible_exchanges(user).filter(review_status=ReviewStatus.PROPOSED)
    units = editable_units(user)
    if units is not None:
        rows = rows.filter(Q(unit__isnull=True) | Q(unit_id__in=units))
    return rows.order_by("id")


def queued_actors() -> QuerySet[Actor]:
    """Return the proposed counterparts not merged away, oldest first."""
    return Actor.objects.filter(review_status=ReviewStatus.PROPOSED, merged_into=None).order_by(
        "id"
    )


def actor_evidence(user: Any, actors: list[Actor]) -> dict[int, list[Evidence]]:
    """Return, per actor, a few evidence spans of the visible exchanges it was found in."""
    found: dict[int, list[Evidence]] = defaultdict(list)
    rows = (
        Participation.objects.filter(
            actor__in=actors, exchange__in=visible_exchanges(user), exchange__evidence__isnull=False
        )
        .values_list("actor_id", "exchange__evidence")
        .order_by("actor_id", "exchange_id")
        .distinct()
    )
    wanted: dict[int, list[int]] = defaultdict(list)
    for actor_id, evidence_id in rows:
        if len(wanted[actor_id]) < EVIDENCE_PER_ACTOR:
            wanted[actor_id].append(evidence_id)
    ids = [pk for pks in wanted.values() for pk in pks]
    spans = Evidence.objects.filter(pk__in=ids).select_related("source", "exchange")
    by_id = {span.pk: span for span in spans}
    for actor_id, pks in wanted.items():
        found[actor_id] = [by_id[pk] for pk in pks if pk in by_id]
    return found


def merge_candidates(actor: Actor, limit: int = SUGGESTIONS) -> list[Actor]:
    """Suggest the counterparts a proposed one may be: those sharing a word of its name."""
    words = [w for w in search_terms(actor.name.replace('"', "")) if len(w) > 3][:6]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(name__icontains=word) | Q(names__name__icontains=word)
    rows = (
        Actor.objects.filter(match, merged_into=None)
        .exclude(pk=actor.pk)
        .exclude(review_status__in=[ReviewStatus.PROPOSED, ReviewStatus.REJECTED])
        .select_related("country")
        .distinct()[:300]
    )
    wanted = actor.name.casefold()
    likeness = {
        other.pk: difflib.SequenceMatcher(None, wanted, other.name.casefold()).ratio()
        for other in rows
    }

    def plausible(other: Actor) -> bool:
        # A word such as "party" is shared by most names: a counterpart of another country is
        # suggested only when the names are nearly the same (its country may have been misread).
        countries = {actor.country_id, other.country_id}
        return None in countries or len(countries) == 1 or likeness[other.pk] >= SAME_NAME

    def score(other: Actor) -> float:
        same_country = 0.2 if other.country_id and other.country_id == actor.country_id else 0.0
        return likeness[other.pk] + same_country

    return sorted(filter(plausible, rows), key=score, reverse=True)[:limit]


@writer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Show proposed exchanges or counterparts, each beside its evidence."""
    kind = request.GET.get("kind", "exchange")
    if kind not in KINDS:
        kind = "exchange"
    exchanges = queued_exchanges(request.user)
    actors = queued_actors()
    context: dict[str, Any] = {
        "kind": kind,
        "counts": {"exchange": exchanges.count(), "actor": actors.count()},
        "focus": request.GET.get("focus", ""),
    }
    if kind == "exchange":
        page = paginate(
            request, with_details(exchanges).prefetch_related("evidence__source"), PER_PAGE
        )
        context["items"] = page.object_list
    else:
        actor_page = paginate(request, actors.select_related("country", "parent"), PER_PAGE)
        evidence = actor_evidence(request.user, list(actor_page.object_list))
        context["items"] = [
            (actor, evidence.get(actor.pk, []), merge_candidates(actor, 3))
            for actor in actor_page.object_list
        ]
        page = actor_page  # type: ignore[assignment]
    context.update({"page": page, **page_links(request, page)})
    return render(request, "liaison/review.html", context)


def _queue_url(kind: str, focus: str = "") -> str:
    url = f"{reverse('review_queue')}?kind={kind}"
    return f"{url}&focus={focus}" if focus.isdigit() else url


@require_POST
@writer_required
def review_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """Accept or reject one proposed exchange or counterpart."""
    decision = request.POST.get("decision", "")
    if kind not in KINDS or decision not in ("accept", "reject"):
        raise Http404("no such review decision")
    if kind == "exchange":
        exchange = get_object_or_404(visible_exchanges(request.user), pk=pk)
        if not can_edit_exchange(request.user, exchange):
            raise PermissionDenied("This exchange belongs to a unit you do not edit.")
        name = f"the {exchange.type} of {exchange.partial_date}"
    else:
        name = get_object_or_404(Actor, pk=pk).name
    try:
        which: review.Kind = "exchange" if kind == "exchange" else "actor"
        review.decide(which, pk, "accept" if decision == "accept" else "reject", author(request))
    except LiaisonError as error:
        messages.error(request, error.message)
    else:
        verb = "Accepted" if decision == "accept" else "Rejected"
        messages.success(request, f"{verb} {name}.")
    fallback = _queue_url(kind, request.POST.get("focus", ""))
    return redirect(next_url(request, fallback))


@writer_required
def review_merge(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Merge a counterpart into the existing one it is, chosen by search or from suggestions."""
    absorbed = get_object_or_404(Actor.objects.select_related("country"), pk=pk)
    if absorbed.merged_into_id is not None:
        messages.info(request, "This counterpart was merged already.")
        return redirect("actor_detail", pk=absorbed.pk)
    form = MergeForm(request.POST or None, absorbed=absorbed)
    if request.method == "POST" and form.is_valid():
        keep: Actor = form.cleaned_data["keep"]
        try:
            actions.merge_actors(keep, absorbed, author(request))
        except LiaisonError as error:
            form.add_error("keep", error.message)
        else:
            undo = reverse("actor_detail", args=[keep.pk]) + "#merges"
            messages.success(
                request,
                format_html(
                    'Merged {} into {}. <a href="{}">Undo it from {}’s page.</a>',
                    absorbed.name,
                    keep.name,
                    undo,
                    keep.name,
                ),
            )
            return redirect(next_url(request, _queue_url("actor")))
    q = request.GET.get("q", "").strip()
    if q:
        found = search_actors(Actor.objects.filter(merged_into=None), q).exclude(pk=absorbed.pk)
        candidates = list(found.select_related("country").order_by("name")[:25])
    else:
        candidates = merge_candidates(absorbed)
    context = {
        "absorbed": absorbed,
        "form": form,
        "q": q,
        "candidates": [(c, actor_label(c)) for c in candidates],
        "evidence": actor_evidence(request.user, [absorbed]).get(absorbed.pk, []),
        "next": next_url(request, ""),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "liaison/merge.html", context, status=status)


@require_POST
@writer_required
def merge_undo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Undo a merge: both counterparts come back exactly as they were."""
    merge = get_object_or_404(ActorMerge.objects.select_related("keep", "absorbed"), pk=pk)
    try:
        actions.undo_merge(merge, author(request))
    except LiaisonError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Undid the merge of {merge.absorbed.name} into {merge.keep.name}."
        )
    return redirect(next_url(request, reverse("actor_detail", args=[merge.absorbed_id])))


@login_required
def actor_suggest(request: HttpRequest) -> JsonResponse:
    """Return up to 15 counterparts matching a few typed letters, for the form suggestions."""
    q = request.GET.get("q", "").strip()
    if len(q) < 2:
        return JsonResponse({"results": []})
    found = search_actors(Actor.objects.filter(merged_into=None), q).select_related("country")
    results = [
        {
            "value": actor_label(actor),
            "detail": " · ".join(
                part for part in (actor.get_kind_display(), str(actor.country or "")) if part
            ),
        }
        for actor in found.order_by("name")[:15]
    ]
    return JsonResponse({"results": results})
