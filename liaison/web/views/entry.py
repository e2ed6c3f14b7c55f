"""Data entry: record and edit exchanges, counterparts and mechanisms through the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from liaison.domain.enums import NameType, ReviewStatus, UserRole
from liaison.domain.errors import LiaisonError
from liaison.ledger import actions
from liaison.ledger.actions.audit import update_fields
from liaison.ledger.models import Actor, Exchange, Mechanism, Membership
from liaison.web.access import visible_exchanges
from liaison.web.forms.exchanges import (
    ExchangeForm,
    ParticipantFormSet,
    PersonFormSet,
    exchange_input,
    participants_initial,
    people_initial,
)
from liaison.web.forms.registry import ActorForm, MechanismForm
from liaison.web.permissions import can_edit_exchange, role_of, unit_choices, writer_required


def author(request: HttpRequest) -> actions.Author:
    """Return who makes a change from the web."""
    user = request.user if request.user.is_authenticated else None
    return actions.Author(user, "web")


def next_url(request: HttpRequest, fallback: str) -> str:
    """Return the page to go back to: a local `next` parameter, or the fallback."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else fallback


@writer_required
def exchange_new(request: HttpRequest) -> HttpResponseBase:
    """Record an exchange: its fields, participants, people and source."""
    return _exchange_form(request, None)


@writer_required
def exchange_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Edit an exchange of the user's units; editing a proposed one corrects it."""
    exchange = get_object_or_404(visible_exchanges(request.user), pk=pk)
    if not can_edit_exchange(request.user, exchange):
        raise PermissionDenied("This exchange belongs to a unit you do not edit.")
    return _exchange_form(request, exchange)


def _exchange_form(request: HttpRequest, exchange: Exchange | None) -> HttpResponseBase:
    units = unit_choices(request.user)
    unit_required = role_of(request.user) is not UserRole.ADMIN
    if request.method == "POST":
        form = ExchangeForm(request.POST, units=units, unit_required=unit_required)
        participants = ParticipantFormSet(request.POST, prefix="participants")
        people = PersonFormSet(request.POST, prefix="people")
        # Validate all three, so that every mistake is shown at once.
        if all([form.is_valid(), participants.is_valid(), people.is_valid()]):
            saved = _save_exchange(request, form, participants, people, exchange)
            if saved is not None:
                verb = "Recorded" if exchange is None else "Saved"
                messages.success(request, f"{verb} the {saved.type} of {saved.partial_date}.")
                return redirect(next_url(request, reverse("exchange_detail", args=[saved.pk])))
    elif exchange is None:
        membership = Membership.objects.filter(user_id=int(request.user.pk or 0)).first()
        unit = membership.unit_id if membership and membership.unit in units else None
        form = ExchangeForm(initial={"unit": unit}, units=units, unit_required=unit_required)
        participants = ParticipantFormSet(prefix="participants")
        people = PersonFormSet(prefix="people")
    else:
        form = ExchangeForm(
            initial=ExchangeForm.initial_from(exchange), units=units, unit_required=unit_required
        )
        participants = ParticipantFormSet(
            initial=participants_initial(exchange), prefix="participants"
        )
        people = PersonFormSet(initial=people_initial(exchange), prefix="people")
    context = {
        "form": form,
        "participants": participants,
        "people": people,
        "exchange": exchange,
        "evidence": exchange.evidence.select_related("source") if exchange else [],
        "next": next_url(request, ""),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "liaison/exchange_form.html", context, status=status)


def _save_exchange(
    request: HttpRequest,
    form: ExchangeForm,
    participants: forms.BaseFormSet[Any],
    people: forms.BaseFormSet[Any],
    exchange: Exchange | None,
) -> Exchange | None:
    """Record or update through the actions; on a refusal, put the reason on the form."""
    if exchange is None:
        status = ReviewStatus.CONFIRMED
    elif exchange.review_status == ReviewStatus.PROPOSED:
        # A person who edits what ingest proposed has reviewed it: it is now corrected.
        status = ReviewStatus.CORRECTED
    else:
        status = ReviewStatus(exchange.review_status)
    ref = exchange.external_ref if exchange else None
    data = exchange_input(form, participants, people, status, ref)
    try:
        with transaction.atomic():
            if exchange is None:
                return actions.record_exchange(data, author(request))
            actions.update_exchange(exchange, data, author(request))
            return exchange
    except LiaisonError as error:
        form.add_error(None, error.message)
        return None


@writer_required
def actor_new(request: HttpRequest) -> HttpResponseBase:
    """Create a counterpart with its names and identifiers."""
    return _actor_form(request, None)


@writer_required
def actor_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Edit a counterpart's fields; add names and identifiers."""
    actor = get_object_or_404(Actor, pk=pk)
    if actor.merged_into_id is not None:
        messages.info(request, "This counterpart was merged; edit the one it was merged into.")
        return redirect("actor_detail", pk=actor.merged_into_id)
    return _actor_form(request, actor)


def _actor_form(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    if request.method == "POST":
        form = ActorForm(request.POST, actor=actor)
        if form.is_valid():
            try:
                saved = _save_actor(request, form, actor)
            except LiaisonError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved {saved.name}.")
                return redirect(next_url(request, reverse("actor_detail", args=[saved.pk])))
    else:
        form = ActorForm(initial=ActorForm.initial_from(actor) if actor else {}, actor=actor)
    context = {"form": form, "actor": actor, "next": next_url(request, "")}
    status = 400 if request.method == "POST" else 200
    return render(request, "liaison/actor_form.html", context, status=status)


@transaction.atomic
def _save_actor(request: HttpRequest, form: ActorForm, actor: Actor | None) -> Actor:
    data = form.cleaned_data
    who = author(request)
    own = {
        "name": data["name"].strip(),
        "kind": data["kind"],
        "org_type": data["org_type"],
        "family": data["family"].strip(),
        "parent": data["parent"],
        "founded": data["founded"],
        "dissolved": data["dissolved"],
        "description": data["description"].strip(),
    }
    country = data["country"].iso3 if data["country"] else None
    if actor is None:
        return actions.create_actor(
            actions.ActorInput(
                country=country,
                names=tuple(actions.NameInput(n, NameType.ALIAS) for n in data["aliases"]),
                external_ids=tuple(data["external_ids"]),
                **own,
            ),
            who,
        )
    actions.update_actor(actor, {**own, "country": country}, who)
    for name in data["aliases"]:
        if name != actor.name and not actor.names.filter(name=name).exists():
            actions.add_actor_name(actor, actions.NameInput(name, NameType.ALIAS), who)
    for scheme, value in data["external_ids"]:
        actions.add_external_id(actor, scheme, value, who)
    return actor


@writer_required
def mechanism_new(request: HttpRequest) -> HttpResponseBase:
    """Create a dialogue mechanism or platform."""
    return _mechanism_form(request, None)


@writer_required
def mechanism_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Edit a dialogue mechanism."""
    return _mechanism_form(request, get_object_or_404(Mechanism, pk=pk))


def _mechanism_form(request: HttpRequest, mechanism: Mechanism | None) -> HttpResponse:
    if request.method == "POST":
        form = MechanismForm(request.POST, mechanism=mechanism)
        if form.is_valid():
            try:
                saved = _save_mechanism(request, form, mechanism)
            except LiaisonError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved {saved.name}.")
                return redirect(next_url(request, reverse("mechanism_detail", args=[saved.pk])))
    else:
        initial = MechanismForm.initial_from(mechanism) if mechanism else {}
        form = MechanismForm(initial=initial, mechanism=mechanism)
    context = {"form": form, "mechanism": mechanism, "next": next_url(request, "")}
    status = 400 if request.method == "POST" else 200
    return render(request, "liaison/mechanism_form.html", context, status=status)


@transaction.atomic
def _save_mechanism(
    request: HttpRequest, form: MechanismForm, mechanism: Mechanism | None
) -> Mechanism:
    values = form.values()
    if mechanism is None:
        return actions.upsert_mechanism(values, author(request))[0]
    # upsert_mechanism finds a mechanism by its key or name, so it cannot rename one or change
    # its key; the audited field update it uses itself can (an update_mechanism action would).
    update_fields(author(request), "update_mechanism", mechanism, values)
    return mechanism
