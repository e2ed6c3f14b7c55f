"""Form fields that read the ledger's own notations: partial dates, counterparts, lists."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q

from liaison.domain.dates import PartialDate
from liaison.domain.errors import LiaisonError
from liaison.ledger.models import Actor
from liaison.ledger.models.fields import normalize_name

# "African National Congress [12]": the form the suggestions fill in, which names one actor.
_ACTOR_ID = re.compile(r"\[(\d+)\]\s*$")
SUGGEST_LIST = "actor-suggestions"


def actor_label(actor: Actor) -> str:
    """Write an actor the way the counterpart fields read it back: its name and [id]."""
    return f"{actor.name} [{actor.pk}]"


class PartialDateField(forms.Field):
    """A date known to the year, the month or the day: YYYY, YYYY-MM or YYYY-MM-DD."""

    default_error_messages = {
        "invalid": "Write the date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2024-05-14)."
    }

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "YYYY-MM-DD", "maxlength": "10"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> PartialDate | None:
        """Read the text, or say how to write it."""
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except LiaisonError as error:
            if "-" in text and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
                # The shape is right but the day or month does not exist (2024-02-30).
                raise forms.ValidationError(
                    f"{text} is not in the calendar: check the month and the day.", code="invalid"
                ) from error
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class ActorField(forms.Field):
    """A counterpart typed by name (or alias), or picked from the suggestions as "Name [id]"."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"list": SUGGEST_LIST, "autocomplete": "off", "data-suggest": "actor"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        """Show an actor as "Name [id]"."""
        return actor_label(value) if isinstance(value, Actor) else value

    def to_python(self, value: Any) -> Actor | None:
        """Find the one actor the text names, following merges to the kept actor."""
        if isinstance(value, Actor):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        match = _ACTOR_ID.search(text)
        if match:
            found = list(Actor.objects.filter(pk=int(match.group(1))))
        else:
            key = normalize_name(text)
            found = list(
                Actor.objects.filter(
                    Q(name__iexact=text.strip()) | Q(names__normalized=key)
                ).distinct()[:5]
            )
            if len(found) > 1:
                kept = [a for a in found if a.merged_into_id is None]
                found = kept or found
        if not found:
            raise forms.ValidationError(
                f"No counterpart is called “{text}”. Pick one of the suggestions, "
                "or create the counterpart first.",
                code="unknown",
            )
        if len(found) > 1:
            choices = "; ".join(actor_label(a) for a in found)
            raise forms.ValidationError(
                f"Several counterparts are called “{text}”: write one as shown ({choices}).",
                code="ambiguous",
            )
        actor = found[0]
        seen = {actor.pk}
        while actor.merged_into_id is not None and actor.merged_into_id not in seen:
            seen.add(actor.merged_into_id)
            actor = Actor.objects.get(pk=actor.merged_into_id)
        return actor


class ListField(forms.CharField):
    """A list of short texts, separated by commas or one per line."""

    def __init__(self, *, lines: bool = False, **kwargs: Any) -> None:
        self.lines = lines
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        """Split, trim and drop empty and repeated items, keeping their order."""
        text = super().to_python(value) or ""
        parts = text.splitlines() if self.lines else re.split(r"[,\n]", text)
        return list(dict.fromkeys(part.strip() for part in parts if part.strip()))

    def prepare_value(self, value: Any) -> Any:
        """Show a list as the text it was typed as."""
        if isinstance(value, list | tuple):
            return ("\n" if self.lines else ", ").join(str(v) for v in value)
        return value
