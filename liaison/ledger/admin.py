"""A read-only admin: every write goes through liaison.ledger.actions, so the admin only shows."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from liaison.ledger import models


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Show rows and let nobody change them here (changes need their audit entry)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse: records are added through liaison's forms, CLI and importers."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse: changes go through liaison.ledger.actions."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Refuse: deletions go through liaison.ledger.actions."""
        return False


@admin.register(models.Actor)
class ActorAdmin(ReadOnlyAdmin):
    """Counterparts."""

    list_display = ["name", "kind", "country", "family", "review_status"]
    list_filter = ["kind", "review_status", "family"]
    search_fields = ["name", "names__name"]


@admin.register(models.Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    """Exchanges."""

    list_display = ["id", "type", "channel", "date", "city", "country", "review_status"]
    list_filter = ["type", "channel", "review_status", "visibility"]
    date_hierarchy = "date"


@admin.register(models.AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit history."""

    list_display = ["at", "user", "via", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type", "via"]


for model in (
    models.Country,
    models.CountryGroup,
    models.Mechanism,
    models.MechanismEdition,
    models.Person,
    models.Source,
    models.Claim,
    models.Unit,
    models.ImportBatch,
    models.ActorMerge,
):
    admin.site.register(model, ReadOnlyAdmin)
