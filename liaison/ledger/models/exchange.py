"""Exchanges: who met whom, when, where, how and through which mechanism."""

from __future__ import annotations

from django.db import models

from liaison.domain.dates import PartialDate
from liaison.domain.enums import (
    Channel,
    DatePrecision,
    ExchangeType,
    ParticipantRole,
    ReviewStatus,
    Visibility,
)
from liaison.ledger.models.actor import Actor
from liaison.ledger.models.country import Country
from liaison.ledger.models.fields import choices
from liaison.ledger.models.mechanism import Mechanism, MechanismEdition
from liaison.ledger.models.person import Person
from liaison.ledger.models.unit import Unit


class Exchange(models.Model):
    """One concrete occurrence: a meeting, a visit, a call, a letter, a forum held..."""

    type = models.CharField(max_length=16, choices=choices(ExchangeType))
    channel = models.CharField(max_length=10, choices=choices(Channel), default=Channel.UNKNOWN)
    date = models.DateField(help_text="the first day the date can mean")
    date_precision = models.CharField(
        max_length=5, choices=choices(DatePrecision), default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges"
    )
    mechanism = models.ForeignKey(
        Mechanism, null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges"
    )
    edition = models.ForeignKey(
        MechanismEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges"
    )
    topics = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges"
    )
    visibility = models.CharField(
        max_length=10, choices=choices(Visibility), default=Visibility.PUBLIC
    )
    review_status = models.CharField(
        max_length=10, choices=choices(ReviewStatus), default=ReviewStatus.CONFIRMED
    )
    external_ref = models.CharField(
        max_length=120, unique=True, null=True, blank=True, help_text="the importer's stable id"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date"]),
            # Lists filtered by type and channel read in date order, stopping when a page is full.
            models.Index(fields=["type", "channel", "date"], name="ledger_exch_type_chan_date_idx"),
            # Lists filtered by type (counted from the index alone, visibility included) or by
            # review status, newest first; the review queue's size.
            models.Index(
                fields=["type", "date", "visibility", "unit"], name="ledger_exch_type_date_vis_idx"
            ),
            models.Index(fields=["review_status", "date"], name="ledger_exch_review_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} on {self.partial_date}"

    @property
    def partial_date(self) -> PartialDate:
        """Return the date cut to its precision."""
        return PartialDate.from_date(self.date, DatePrecision(self.date_precision))


class Participation(models.Model):
    """An actor's part in an exchange."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(
        max_length=16, choices=choices(ParticipantRole), default=ParticipantRole.PARTICIPANT
    )

    class Meta:
        ordering = ["exchange", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "actor", "role"], name="unique_participation"
            )
        ]
        # A counterpart's exchanges straight from the index, without visiting each row.
        indexes = [models.Index(fields=["actor", "exchange"], name="ledger_part_actor_exch_idx")]

    def __str__(self) -> str:
        return f"{self.actor} as {self.role}"


class Attendance(models.Model):
    """A person present at an exchange, with their role and the actor they came for."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    role = models.CharField(max_length=300, blank=True)
    org = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )

    class Meta:
        ordering = ["exchange", "id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"
