"""The record of what changed: audit entries, import batches and actor merges."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AuditEntry(models.Model):
    """One change to the ledger: who, when, what, and the object before and after. Append-only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=40, blank=True, help_text="cli, web, api, import, ingest")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40, db_index=True)
    object_id = models.CharField(max_length=40, db_index=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Write a new entry; an existing one is never changed."""
        if self.pk is not None:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse: audit entries are append-only."""
        raise ValueError("audit entries are append-only")


class ImportBatch(models.Model):
    """One run of an importer: what file, what it changed, and whether it was undone."""

    kind = models.CharField(max_length=30)
    file_name = models.CharField(max_length=500)
    file_hash = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.kind}, {self.file_name})"


class ImportChange(models.Model):
    """One row an import batch created or changed, with its state before, so it can be undone."""

    class Operation(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    operation = models.CharField(max_length=6, choices=Operation.choices)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return f"{self.operation} {self.model} {self.object_id}"


class ActorMerge(models.Model):
    """Two actors made one: what moved from the absorbed actor, so the merge can be undone."""

    keep = models.ForeignKey("Actor", on_delete=models.PROTECT, related_name="merges_kept")
    absorbed = models.ForeignKey("Actor", on_delete=models.PROTECT, related_name="merges_absorbed")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved = models.JSONField(default=dict, help_text="model → field → ids moved to the kept actor")
    removed = models.JSONField(
        default=list, encoder=DjangoJSONEncoder, help_text="rows deleted as duplicates"
    )
    created = models.JSONField(default=list, help_text="rows the merge added (model, id)")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"merge {self.absorbed_id} into {self.keep_id}"
