"""Import batches: open one, and undo everything it did."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.actions.audit import SYSTEM, Author, snapshot, write_audit
from liaison.ledger.actions.exchanges import restore_exchange
from liaison.ledger.models import Exchange, ImportBatch


def open_batch(kind: str, file_name: str, file_hash: str, author: Author = SYSTEM) -> ImportBatch:
    """Start recording an import, so that it can be undone later."""
    batch = ImportBatch.objects.create(
        kind=kind, file_name=file_name, file_hash=file_hash, user=author.user_or_none
    )
    write_audit(author, "open_batch", batch, None, snapshot(batch), batch)
    return batch


def close_batch(batch: ImportBatch, summary: dict[str, int], author: Author = SYSTEM) -> None:
    """Store what a batch did."""
    before = snapshot(batch)
    batch.summary = summary
    batch.save(update_fields=["summary"])
    write_audit(author, "close_batch", batch, before, snapshot(batch), batch)


@transaction.atomic
def undo_batch(batch: ImportBatch, author: Author = SYSTEM) -> dict[str, int]:
    """Delete what a batch created and restore what it changed; return counts."""
    if batch.undone_at is not None:
        raise LiaisonError(ErrorCode.CONFLICT, f"batch {batch.pk} was already undone")
    later = ImportBatch.objects.filter(
        pk__gt=batch.pk,
        undone_at__isnull=True,
        changes__object_id__in=batch.changes.values("object_id"),
    ).first()
    if later is not None:
        raise LiaisonError(
            ErrorCode.CONFLICT, f"batch {later.pk} changed the same rows since; undo it first"
        )
    counts = {"deleted": 0, "restored": 0}
    for change in batch.changes.order_by("-id"):
        model = apps.get_model("ledger", change.model)
        row = model._default_manager.filter(pk=change.object_id).first()
        if row is None:
            continue
        if change.operation == "create":
            try:
                row.delete()
            except ProtectedError as error:
                raise LiaisonError(
                    ErrorCode.CONFLICT,
                    f"cannot undo batch {batch.pk}: {change.model} {change.object_id} is used "
                    "by records added since; remove or merge those first",
                ) from error
            counts["deleted"] += 1
        else:
            assert change.before is not None
            if isinstance(row, Exchange):
                restore_exchange(row, change.before)
            else:
                current = snapshot(row)
                for name, value in change.before.items():
                    if current.get(name) != value:
                        setattr(row, name, value)
                row.save()
            counts["restored"] += 1
    before = snapshot(batch)
    batch.undone_at = timezone.now()
    batch.save(update_fields=["undone_at"])
    write_audit(author, "undo_batch", batch, before, {**snapshot(batch), **counts}, batch)
    return counts
