"""Dialogue mechanisms and platforms, and their editions."""

from __future__ import annotations

from django.db import models

from liaison.domain.enums import Channel, DatePrecision, MechanismScope
from liaison.ledger.models.actor import Actor
from liaison.ledger.models.country import Country
from liaison.ledger.models.fields import choices


class Mechanism(models.Model):
    """A named forum, platform or dialogue series."""

    key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    name = models.CharField(max_length=300, unique=True)
    aliases = models.JSONField(default=list, blank=True)
    scope = models.CharField(max_length=16, choices=choices(MechanismScope))
    region = models.CharField(max_length=100, blank=True)
    organizer = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="organized_mechanisms"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MechanismEdition(models.Model):
    """One meeting of a mechanism: the 2017 High-Level Meeting, the 5th forum..."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField(max_length=300)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=choices(DatePrecision), default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="editions"
    )
    channel = models.CharField(max_length=10, choices=choices(Channel), default=Channel.UNKNOWN)

    class Meta:
        ordering = ["mechanism", "date"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "name"], name="unique_edition_name")
        ]

    def __str__(self) -> str:
        return f"{self.mechanism}: {self.name}"
