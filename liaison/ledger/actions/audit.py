"""Who makes a change, how rows are snapshotted, and the audit entry every action writes."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from liaison.ledger.actions.rows import insert_rows_without_ids
from liaison.ledger.models import AuditEntry, ImportBatch, ImportChange


@dataclass(frozen=True)
class Author:
    """Who makes a change, and through which entry point (cli, web, api, import, ingest)."""

    user: User | AnonymousUser | None = None
    via: str = "cli"

    @property
    def user_or_none(self) -> User | None:
        """Return the user, or None when nobody is logged in."""
        if self.user is None or isinstance(self.user, AnonymousUser):
            return None
        return self.user


SYSTEM = Author(None, "system")


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds, so that a restored row is the same row."""

    def default(self, o: Any) -> Any:
        """Encode datetimes in full."""
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Return a row's stored fields as JSON-safe values, keyed by column attribute name."""
    omits = getattr(obj, "audit_omits", ())
    values = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in omits
    }
    loaded: dict[str, Any] = json.loads(json.dumps(values, cls=ExactJSONEncoder))
    return loaded


def label(obj: models.Model | type[models.Model]) -> str:
    """Return the model name used in audit entries and change records."""
    return obj._meta.object_name or type(obj).__name__


@dataclass
class _Pending:
    """Audit entries and change records waiting to be written together."""

    entries: list[AuditEntry] = field(default_factory=list)
    changes: list[ImportChange] = field(default_factory=list)


_pending: ContextVar[_Pending | None] = ContextVar("liaison_pending_audit", default=None)
_lookups: ContextVar[dict[tuple[str, str], Any] | None] = ContextVar(
    "liaison_lookups", default=None
)


@contextmanager
def audit_in_bulk() -> Iterator[None]:
    """Write the audit entries and change records of a block as two inserts when it ends.

    For bulk writers (ingest) inside one transaction: the rows are the same, in the same order,
    but an insert per row is the largest cost of a write. On an error nothing is written, and the
    caller's transaction rolls back the changes they describe.
    """
    if _pending.get() is not None:
        yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    insert_rows_without_ids(pending.entries)
    insert_rows_without_ids(pending.changes)


@contextmanager
def remembering() -> Iterator[None]:
    """Look each reference row (a country) up once within the block: for long bulk runs."""
    if _lookups.get() is not None:
        yield
        return
    token = _lookups.set({})
    try:
        yield
    finally:
        _lookups.reset(token)


def remembered(kind: str, key: str, look_up: Callable[[str], Any]) -> Any:
    """Look a reference row up once per remembering() block (every time outside one)."""
    lookups = _lookups.get()
    if lookups is None:
        return look_up(key)
    if (kind, key) not in lookups:
        lookups[kind, key] = look_up(key)
    return lookups[kind, key]


def write_audit(
    author: Author,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    batch: ImportBatch | None = None,
) -> None:
    """Append the audit entry of one change."""
    entry = AuditEntry(
        user=author.user_or_none,
        via=author.via,
        action=action,
        object_type=label(obj),
        object_id=str(obj.pk),
        before=before,
        after=after,
        batch=batch,
    )
    _add(entry, None)


def _add(entry: AuditEntry | None, change: ImportChange | None) -> None:
    pending = _pending.get()
    if pending is None:
        if entry is not None:
            entry.save()
        if change is not None:
            change.save()
        return
    if entry is not None:
        pending.entries.append(entry)
    if change is not None:
        pending.changes.append(change)


def track_created(batch: ImportBatch | None, obj: models.Model) -> None:
    """Remember that a batch created a row, so undoing the batch deletes it."""
    if batch is not None:
        change = ImportChange(
            batch=batch, model=label(obj), object_id=str(obj.pk), operation="create"
        )
        _add(None, change)


def track_updated(batch: ImportBatch | None, obj: models.Model, before: dict[str, Any]) -> None:
    """Remember a row's state before a batch changed it, so undoing restores it."""
    if batch is not None:
        change = ImportChange(
            batch=batch, model=label(obj), object_id=str(obj.pk), operation="update", before=before
        )
        _add(None, change)


def created(
    author: Author, action: str, obj: models.Model, batch: ImportBatch | None = None
) -> None:
    """Audit and track a row that was just created."""
    write_audit(author, action, obj, None, snapshot(obj), batch)
    track_created(batch, obj)


def changed(
    author: Author,
    action: str,
    obj: models.Model,
    before: dict[str, Any],
    batch: ImportBatch | None = None,
) -> bool:
    """Audit and track a row that was just saved; return False (and write nothing) if unchanged."""
    after = snapshot(obj)
    if after == before:
        return False
    write_audit(author, action, obj, before, after, batch)
    track_updated(batch, obj, before)
    return True


def update_fields(
    author: Author,
    action: str,
    obj: models.Model,
    values: dict[str, Any],
    batch: ImportBatch | None = None,
) -> bool:
    """Set fields on a row and save it only if something changed; return whether it did."""
    before = snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    if snapshot(obj) == before:
        return False
    obj.save()
    return changed(author, action, obj, before, batch)
