"""Merging two actors into one, and undoing the merge exactly."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from liaison.domain.enums import NameType
from liaison.domain.errors import ErrorCode, LiaisonError
from liaison.ledger.actions.audit import SYSTEM, Author, label, snapshot, write_audit
from liaison.ledger.models import Actor, ActorMerge, ActorName, Participation


def _pointers() -> list[tuple[type[models.Model], str]]:
    """Every (model, foreign key) that points at an actor, except the merge records themselves."""
    found: list[tuple[type[models.Model], str]] = []
    for relation in Actor._meta.related_objects:
        model = relation.related_model
        if isinstance(model, type) and model is not ActorMerge and relation.one_to_many:
            found.append((model, relation.field.name))
    return found


def _duplicate(row: models.Model, field: str, keep: Actor) -> bool:
    """Tell whether moving a row to the kept actor would repeat one it already has."""
    if isinstance(row, Participation):
        return Participation.objects.filter(
            exchange_id=row.exchange_id, actor=keep, role=row.role
        ).exists()
    return False


@transaction.atomic
def merge_actors(keep: Actor, absorbed: Actor, author: Author = SYSTEM) -> ActorMerge:
    """Make two actors one: move everything that points at `absorbed` to `keep`."""
    if keep.pk == absorbed.pk:
        raise LiaisonError(ErrorCode.BAD_INPUT, "an actor cannot be merged into itself")
    if absorbed.merged_into_id is not None or keep.merged_into_id is not None:
        raise LiaisonError(ErrorCode.CONFLICT, "one of these actors was already merged away")
    if keep.parent_id == absorbed.pk:
        raise LiaisonError(
            ErrorCode.CONFLICT, f"{keep} belongs to {absorbed}; merge the other way round"
        )
    moved: dict[str, dict[str, list[Any]]] = {}
    removed: list[dict[str, Any]] = []
    for model, field in _pointers():
        ids = []
        for row in model._default_manager.filter(**{field: absorbed}):
            if _duplicate(row, field, keep):
                removed.append({"model": label(model), "fields": snapshot(row)})
                row.delete()
            else:
                ids.append(row.pk)
        if ids:
            model._default_manager.filter(pk__in=ids).update(**{field: keep})
            moved.setdefault(label(model), {})[field] = ids
    added: list[list[Any]] = []
    if not keep.names.filter(name=absorbed.name).exists() and keep.name != absorbed.name:
        alias = ActorName.objects.create(actor=keep, name=absorbed.name, name_type=NameType.ALIAS)
        added.append([label(alias), alias.pk])
    before = snapshot(absorbed)
    absorbed.merged_into = keep
    absorbed.save(update_fields=["merged_into"])
    merge = ActorMerge.objects.create(
        keep=keep,
        absorbed=absorbed,
        user=author.user_or_none,
        moved=moved,
        removed=removed,
        created=added,
    )
    write_audit(author, "merge_actors", absorbed, before, {**snapshot(absorbed), "merge": merge.pk})
    return merge


@transaction.atomic
def undo_merge(merge: ActorMerge, author: Author = SYSTEM) -> None:
    """Put both actors back exactly as they were before the merge."""
    if merge.undone_at is not None:
        raise LiaisonError(ErrorCode.CONFLICT, f"merge {merge.pk} was already undone")
    later = ActorMerge.objects.filter(
        absorbed=merge.keep, undone_at__isnull=True, at__gt=merge.at
    ).first()
    if later is not None:
        raise LiaisonError(
            ErrorCode.CONFLICT, f"undo merge {later.pk} first: it merged the kept actor away"
        )
    for model_name, fields in merge.moved.items():
        model = apps.get_model("ledger", model_name)
        for field, ids in fields.items():
            model._default_manager.filter(pk__in=ids).update(**{field: merge.absorbed_id})
    for model_name, pk in merge.created:
        apps.get_model("ledger", model_name)._default_manager.filter(pk=pk).delete()
    for row in merge.removed:
        model = apps.get_model("ledger", row["model"])
        model(**row["fields"]).save(force_insert=True)
    absorbed = merge.absorbed
    before = snapshot(absorbed)
    absorbed.merged_into = None
    absorbed.save(update_fields=["merged_into"])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    write_audit(author, "undo_merge", absorbed, before, {**snapshot(absorbed), "merge": merge.pk})
