"""People and the positions they hold at actors over time."""

from __future__ import annotations

from django.db import models

from liaison.ledger.models.actor import Actor
from liaison.ledger.models.country import Country
from liaison.ledger.models.fields import normalize_name


class Person(models.Model):
    """A person who takes part in exchanges."""

    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, db_index=True, editable=False)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep the lookup form in step with the name."""
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Position(models.Model):
    """A role a person holds at an actor, from one date to another."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(max_length=300)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "start"]

    def __str__(self) -> str:
        return f"{self.person}, {self.title}, {self.actor}"
