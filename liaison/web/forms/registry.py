"""Forms of the registry: a counterpart, a mechanism, and the merge of two counterparts."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q

from liaison.domain.enums import ActorKind, MechanismScope, OrganizationType
from liaison.ledger.models import Actor, Country, ExternalId, Mechanism
from liaison.ledger.models.fields import normalize_name
from liaison.web.forms.fields import ActorField, ListField, actor_label

_EXTERNAL_ID = re.compile(r"^([a-z][a-z0-9_]*):(\S+)$")


def _choices(enum: type[Any]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


class ActorForm(forms.Form):
    """A counterpart's own fields, its further names and its identifiers elsewhere."""

    name = forms.CharField(max_length=300, help_text="The canonical English name.")
    kind = forms.ChoiceField(choices=_choices(ActorKind))
    org_type = forms.ChoiceField(
        label="Organization type",
        choices=[("", "(not an organization)"), *_choices(OrganizationType)],
        required=False,
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.order_by("name"),
        to_field_name="iso3",
        required=False,
        empty_label="(none: international)",
    )
    family = forms.CharField(
        max_length=30, required=False, help_text="Ideology family, e.g. social_democracy."
    )
    parent = ActorField(
        label="Part of", required=False, help_text="The party an organ or branch belongs to."
    )
    founded = forms.IntegerField(min_value=1600, max_value=2200, required=False)
    dissolved = forms.IntegerField(min_value=1600, max_value=2200, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    aliases = ListField(
        lines=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other names and abbreviations, one per line. Existing names are kept.",
    )
    external_ids = ListField(
        label="Identifiers",
        lines=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line as scheme:value, e.g. wikidata:Q83162 or partyfacts:1234.",
    )
    allow_duplicate = forms.BooleanField(
        label="Create it although a counterpart with this name exists in this country",
        required=False,
    )

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        if actor is not None:
            del self.fields["allow_duplicate"]

    def clean_external_ids(self) -> list[tuple[str, str]]:
        """Read scheme:value lines and refuse identifiers that belong to another counterpart."""
        pairs: list[tuple[str, str]] = []
        for line in self.cleaned_data["external_ids"]:
            match = _EXTERNAL_ID.match(line)
            if not match:
                raise forms.ValidationError(
                    f"“{line}” is not scheme:value (for example wikidata:Q83162)."
                )
            pairs.append((match.group(1), match.group(2)))
        for pair in pairs:
            owner = ExternalId.objects.filter(scheme=pair[0], value=pair[1]).first()
            if owner is not None and (self.actor is None or owner.actor_id != self.actor.pk):
                raise forms.ValidationError(
                    f"{pair[0]}:{pair[1]} already belongs to counterpart {owner.actor_id}; "
                    "merge the two instead."
                )
        return pairs

    def clean(self) -> dict[str, Any]:
        """Check the years, the parent and duplicates."""
        data = super().clean() or {}
        founded, dissolved = data.get("founded"), data.get("dissolved")
        if founded and dissolved and dissolved < founded:
            self.add_error("dissolved", "It cannot be dissolved before it was founded.")
        parent = data.get("parent")
        if parent is not None and self.actor is not None and parent.pk == self.actor.pk:
            self.add_error("parent", "A counterpart cannot be part of itself.")
        if data.get("org_type") and data.get("kind") != ActorKind.ORGANIZATION:
            self.add_error("org_type", "Only an organization has an organization type.")
        name = data.get("name", "").strip()
        if self.actor is None and name and not data.get("allow_duplicate"):
            key = normalize_name(name)
            same = Actor.objects.filter(merged_into=None, country=data.get("country")).filter(
                Q(name__iexact=name) | Q(names__normalized=key)
            )
            existing = same.first()
            if existing is not None:
                self.add_error(
                    "name",
                    f"{actor_label(existing)} has this name already. Record exchanges with it, "
                    "or tick the box below to create another counterpart.",
                )
        return data

    @classmethod
    def initial_from(cls, actor: Actor) -> dict[str, Any]:
        """Return the form's initial values for an actor being edited."""
        return {
            "name": actor.name,
            "kind": actor.kind,
            "org_type": actor.org_type,
            "country": actor.country_id,
            "family": actor.family,
            "parent": actor.parent,
            "founded": actor.founded,
            "dissolved": actor.dissolved,
            "description": actor.description,
            "aliases": [n.name for n in actor.names.all()],
            "external_ids": [f"{i.scheme}:{i.value}" for i in actor.external_ids.all()],
        }


class MechanismForm(forms.Form):
    """A dialogue mechanism or platform."""

    name = forms.CharField(max_length=300)
    key = forms.SlugField(
        max_length=80, required=False, help_text="A stable short id, e.g. sco-parties-forum."
    )
    scope = forms.ChoiceField(choices=_choices(MechanismScope))
    region = forms.CharField(max_length=100, required=False)
    organizer = ActorField(required=False)
    aliases = ListField(
        lines=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Other names, one per line.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, mechanism: Mechanism | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mechanism = mechanism

    def _others(self) -> Any:
        rows = Mechanism.objects.all()
        return rows.exclude(pk=self.mechanism.pk) if self.mechanism else rows

    def clean_name(self) -> str:
        """Refuse a name another mechanism has."""
        name = str(self.cleaned_data["name"]).strip()
        if self._others().filter(name__iexact=name).exists():
            raise forms.ValidationError(f"A mechanism named “{name}” exists already.")
        return name

    def clean_key(self) -> str | None:
        """Refuse a key another mechanism has; no key is stored as none."""
        key = str(self.cleaned_data["key"]).strip()
        if key and self._others().filter(key=key).exists():
            raise forms.ValidationError(f"The key “{key}” belongs to another mechanism.")
        return key or None

    def values(self) -> dict[str, Any]:
        """Return the mechanism's fields as the actions take them."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "key": data["key"],
            "scope": data["scope"],
            "region": data["region"].strip(),
            "organizer": data["organizer"],
            "aliases": data["aliases"],
            "description": data["description"].strip(),
        }

    @classmethod
    def initial_from(cls, mechanism: Mechanism) -> dict[str, Any]:
        """Return the form's initial values for a mechanism being edited."""
        return {
            "name": mechanism.name,
            "key": mechanism.key or "",
            "scope": mechanism.scope,
            "region": mechanism.region,
            "organizer": mechanism.organizer,
            "aliases": list(mechanism.aliases),
            "description": mechanism.description,
        }


class MergeForm(forms.Form):
    """The counterpart that a proposed counterpart is the same as."""

    keep = ActorField(label="Merge into", help_text="Search by name, alias or abbreviation.")

    def __init__(self, *args: Any, absorbed: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.absorbed = absorbed

    def clean_keep(self) -> Actor:
        """Refuse merging a counterpart into itself or into one of its own organs."""
        keep: Actor = self.cleaned_data["keep"]
        if keep.pk == self.absorbed.pk:
            raise forms.ValidationError("Choose another counterpart: this is the same one.")
        if keep.parent_id == self.absorbed.pk:
            raise forms.ValidationError(f"{keep.name} belongs to this counterpart; merge it here.")
        return keep
