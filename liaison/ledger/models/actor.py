"""Counterparts: parties, party organs, governments, legislatures and organizations."""

from __future__ import annotations

from django.db import models

from liaison.domain.enums import (
    ActorKind,
    GovernmentStatus,
    NameType,
    OrganizationType,
    ReviewStatus,
)
from liaison.ledger.models.country import Country
from liaison.ledger.models.fields import choices, normalize_name

# Where an external identifier leads; {value} is replaced by the identifier.
SCHEME_URLS = {
    "partyfacts": "https://partyfacts.herokuapp.com/data/partycodes/{value}/",
    "wikidata": "https://www.wikidata.org/wiki/{value}",
    "parlgov": "https://www.parlgov.org/explore/party/{value}/",
    "wikipedia": "{value}",
}


class Actor(models.Model):
    """A counterpart in the ledger."""

    key = models.CharField(
        max_length=80, unique=True, null=True, blank=True, help_text="reference-data key"
    )
    kind = models.CharField(max_length=16, choices=choices(ActorKind))
    org_type = models.CharField(max_length=16, choices=choices(OrganizationType), blank=True)
    name = models.CharField(max_length=300, help_text="canonical English name")
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="actors"
    )
    family = models.CharField(max_length=30, blank=True, help_text="ideology family")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    founded = models.PositiveSmallIntegerField(null=True, blank=True)
    dissolved = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    review_status = models.CharField(
        max_length=10, choices=choices(ReviewStatus), default=ReviewStatus.CONFIRMED
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="absorbed"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "country"])]

    def __str__(self) -> str:
        return self.name


class ActorName(models.Model):
    """A name of an actor: original-language, abbreviation, alias or former name, with validity."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300, db_index=True, editable=False)
    name_type = models.CharField(max_length=16, choices=choices(NameType))
    lang = models.CharField(max_length=8, blank=True, help_text="ISO 639-1")
    script = models.CharField(max_length=4, blank=True, help_text="ISO 15924")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["actor", "name_type", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep the lookup form in step with the name."""
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ActorStatus(models.Model):
    """A period in which a party was ruling, in a coalition or in opposition."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=12, choices=choices(GovernmentStatus))
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["actor", "start"]

    def __str__(self) -> str:
        return f"{self.actor} {self.status} {self.start}–{self.end or ''}"


class ExternalId(models.Model):
    """An identifier of an actor in another dataset (Party Facts, Wikidata, ParlGov...)."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="external_ids")
    scheme = models.CharField(max_length=20)
    value = models.CharField(max_length=300)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="unique_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    @property
    def url(self) -> str:
        """Return the address of this identifier's record, or '' for an unknown scheme."""
        template = SCHEME_URLS.get(self.scheme, "")
        return template.format(value=self.value) if template else ""
