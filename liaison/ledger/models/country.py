"""Countries, their groupings and dated group memberships."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q


class Country(models.Model):
    """A country or territory (ISO 3166-1), or another entity that Party Facts codes parties by."""

    class Kind(models.TextChoices):
        SOVEREIGN = "sovereign"
        TERRITORY = "territory"
        HISTORICAL = "historical"
        SUBNATIONAL = "subnational"
        SUPRANATIONAL = "supranational"

    iso3 = models.CharField(max_length=3, primary_key=True)
    iso2 = models.CharField(max_length=2, blank=True)
    m49 = models.CharField(max_length=3, blank=True)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SOVEREIGN)
    region = models.CharField(max_length=40, blank=True, help_text="UN M49 region")
    subregion = models.CharField(max_length=60, blank=True, help_text="UN M49 sub-region")
    intermediate_region = models.CharField(max_length=60, blank=True)
    un_member = models.BooleanField(default=False)
    development_status = models.CharField(
        max_length=16,
        blank=True,
        help_text="developed or developing, under the convention named in the reference data",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class CountryGroup(models.Model):
    """A grouping of countries (BRICS, SCO, LDC...), with the source of its member list."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, blank=True)
    source = models.TextField(blank=True)
    as_of = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def members_on(self, day: date) -> models.QuerySet[Country]:
        """Return the countries that belonged to this group on a day."""
        memberships = self.memberships.filter(
            Q(joined__isnull=True) | Q(joined__lte=day), Q(left__isnull=True) | Q(left__gte=day)
        )
        return Country.objects.filter(iso3__in=memberships.values("country"))


class GroupMembership(models.Model):
    """A country's membership of a group from one date to another (open-ended if still a member)."""

    group = models.ForeignKey(CountryGroup, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateField(null=True, blank=True, help_text="first day of membership")
    joined_text = models.CharField(max_length=10, blank=True, help_text="as the source dates it")
    left = models.DateField(null=True, blank=True, help_text="last day of membership")
    left_text = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["group", "country"]
        constraints = [
            models.UniqueConstraint(fields=["group", "country", "joined"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} in {self.group_id}"
