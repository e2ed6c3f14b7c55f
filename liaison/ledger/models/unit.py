"""The units of the office's own organization, and the users that belong to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liaison.domain.enums import UserRole
from liaison.ledger.models.fields import choices


class Unit(models.Model):
    """A unit of the internal organization: the central department, a province, a department."""

    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Unit]:
        """Return this unit and every unit above it, nearest first."""
        chain: list[Unit] = []
        unit: Unit | None = self
        while unit is not None and unit not in chain:
            chain.append(unit)
            unit = unit.parent
        return chain


class Membership(models.Model):
    """The unit a user belongs to and the role they hold there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=10, choices=choices(UserRole), default=UserRole.VIEWER)

    def __str__(self) -> str:
        return f"{self.user} ({self.role}, {self.unit.code})"
