"""The form that records or edits an exchange, with its participants and people as formsets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import formset_factory

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    Channel,
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
    Visibility,
)
from liaison.ledger import actions
from liaison.ledger.models import Country, Exchange, Mechanism, MechanismEdition, Unit
from liaison.web.forms.fields import ActorField, ListField, PartialDateField


def _choices(enum: type[Any]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


class ExchangeForm(forms.Form):
    """What happened, when, where, under which mechanism, for which unit, and the source."""

    type = forms.ChoiceField(choices=_choices(ExchangeType))
    channel = forms.ChoiceField(choices=_choices(Channel), initial=Channel.IN_PERSON)
    date = PartialDateField(
        help_text="YYYY, YYYY-MM or YYYY-MM-DD: write only as much as is known."
    )
    end_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For exchanges over several days.",
    )
    city = forms.CharField(max_length=100, required=False)
    country = forms.ModelChoiceField(
        queryset=Country.objects.order_by("name"),
        to_field_name="iso3",
        required=False,
        empty_label="(not known)",
    )
    mechanism = forms.ModelChoiceField(
        queryset=Mechanism.objects.order_by("name"), required=False, empty_label="(none)"
    )
    edition = forms.ModelChoiceField(
        queryset=MechanismEdition.objects.select_related("mechanism").order_by(
            "mechanism__name", "date", "name"
        ),
        required=False,
        empty_label="(none)",
    )
    topics = ListField(required=False, help_text="Separated by commas.")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcomes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    visibility = forms.ChoiceField(
        choices=_choices(Visibility),
        initial=Visibility.PUBLIC,
        help_text="Internal: seen only by the unit and the units above it.",
    )
    source_url = forms.URLField(
        label="Source URL", required=False, max_length=1000, assume_scheme="https"
    )
    source_title = forms.CharField(label="Source title", required=False, max_length=500)
    source_published = forms.DateField(
        label="Published", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(
        label="Evidence sentence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The sentence of the source that reports this exchange, quoted exactly.",
    )

    def __init__(self, *args: Any, units: list[Unit], unit_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("code")
        unit.required = unit_required
        unit.help_text = "The unit that records it; you may choose yours or one below it."

    def clean(self) -> dict[str, Any]:
        """Check what depends on several fields; each message names the field to fix."""
        data = super().clean() or {}
        day: PartialDate | None = data.get("date")
        end = data.get("end_date")
        if day is not None and end is not None and end < day.first_day:
            self.add_error("end_date", f"The end date is before the date ({day}).")
        mechanism, edition = data.get("mechanism"), data.get("edition")
        if edition is not None and mechanism is not None and edition.mechanism_id != mechanism.pk:
            self.add_error("edition", f"This edition belongs to {edition.mechanism.name}.")
        if data.get("visibility") == Visibility.INTERNAL and not data.get("unit"):
            self.add_error("unit", "An internal exchange needs a unit: only it will see it.")
        has_source = bool(data.get("source_url") or data.get("source_title"))
        if data.get("evidence") and not has_source:
            self.add_error("source_url", "Say where the evidence comes from: a URL or a title.")
        if has_source and not data.get("evidence"):
            self.add_error("evidence", "Quote the sentence of the source that reports it.")
        return data

    @classmethod
    def initial_from(cls, exchange: Exchange) -> dict[str, Any]:
        """Return the form's initial values for an exchange being edited."""
        return {
            "type": exchange.type,
            "channel": exchange.channel,
            "date": exchange.partial_date.isoformat(),
            "end_date": exchange.end_date,
            "city": exchange.city,
            "country": exchange.country_id,
            "mechanism": exchange.mechanism_id,
            "edition": exchange.edition_id,
            "topics": list(exchange.topics),
            "summary": exchange.summary,
            "outcomes": exchange.outcomes,
            "unit": exchange.unit_id,
            "visibility": exchange.visibility,
        }


class ParticipantForm(forms.Form):
    """One counterpart and the part it played."""

    actor = ActorField(label="Counterpart")
    role = forms.ChoiceField(choices=_choices(ParticipantRole), initial=ParticipantRole.GUEST)


class PersonForm(forms.Form):
    """One person present, with their role and the counterpart they came for."""

    name = forms.CharField(max_length=200)
    role = forms.CharField(max_length=300, required=False)
    org = ActorField(label="For", required=False)


if TYPE_CHECKING:
    _ParticipantRows = forms.BaseFormSet[ParticipantForm]
else:  # Django's classes are not subscriptable at run time.
    _ParticipantRows = forms.BaseFormSet


class BaseParticipantFormSet(_ParticipantRows):
    """The participant rows, with messages that speak of participants, not forms."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Name at least one participant.",
        "too_many_forms": "Name at most %(num)d participants.",
    }


ParticipantFormSet = formset_factory(
    ParticipantForm,
    formset=BaseParticipantFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    max_num=60,
    validate_max=True,
    can_delete=True,
)
PersonFormSet = formset_factory(
    PersonForm, extra=2, max_num=100, validate_max=True, can_delete=True
)


def _filled(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    # Blank extra rows clean to {}; rows ticked for removal are left out.
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def participants_initial(exchange: Exchange) -> list[dict[str, Any]]:
    """Return the participant rows of an exchange, for its edit form."""
    return [
        {"actor": p.actor, "role": p.role}
        for p in exchange.participations.select_related("actor").order_by("id")
    ]


def people_initial(exchange: Exchange) -> list[dict[str, Any]]:
    """Return the people rows of an exchange, for its edit form."""
    return [
        {"name": a.person.name, "role": a.role, "org": a.org}
        for a in exchange.attendances.select_related("person", "org").order_by("id")
    ]


def exchange_input(
    form: ExchangeForm,
    participants: forms.BaseFormSet[Any],
    people: forms.BaseFormSet[Any],
    review_status: ReviewStatus,
    external_ref: str | None = None,
) -> actions.ExchangeInput:
    """Turn valid forms into the input of record_exchange or update_exchange."""
    data = form.cleaned_data
    day: PartialDate = data["date"]
    evidence: tuple[actions.EvidenceInput, ...] = ()
    if data["evidence"]:
        source = actions.SourceInput(
            url=data["source_url"], title=data["source_title"], published=data["source_published"]
        )
        evidence = (actions.EvidenceInput(source=source, text=data["evidence"].strip()),)
    mechanism = data["mechanism"] or (data["edition"].mechanism if data["edition"] else None)
    return actions.ExchangeInput(
        type=ExchangeType(data["type"]),
        date=day,
        participants=tuple(
            (row["actor"], ParticipantRole(row["role"])) for row in _filled(participants)
        ),
        channel=Channel(data["channel"]),
        end_date=data["end_date"],
        city=data["city"].strip(),
        country=data["country"].iso3 if data["country"] else None,
        mechanism=mechanism,
        edition=data["edition"],
        topics=tuple(data["topics"]),
        summary=data["summary"].strip(),
        outcomes=data["outcomes"].strip(),
        unit=data["unit"],
        visibility=Visibility(data["visibility"]),
        review_status=review_status,
        external_ref=external_ref,
        people=tuple(
            actions.PersonInput(row["name"].strip(), row["role"].strip(), row["org"])
            for row in _filled(people)
        ),
        evidence=evidence,
    )
