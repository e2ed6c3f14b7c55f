"""The audit history: of one record (shown on its page), and of the whole ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.ledger.models import AuditEntry
from liaison.web.access import sees_everything, visible_exchanges, visible_sources
from liaison.web.listing import (
    FacetSpec,
    apply_facets,
    facet_counts,
    list_context,
    paginate,
    search_terms,
)

# Rows that belong to an exchange; their entries are shown only with the exchange's own.
EXCHANGE_PARTS = ("Participation", "Attendance", "Evidence")
# Fields that say nothing to a reader: the password hash, the row id and when it was stored.
HIDDEN_FIELDS = {"password", "id", "created_at"}


@dataclass(frozen=True)
class Change:
    """One field of a record before and after a change."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    """An audit entry with the fields it changed."""

    entry: AuditEntry
    changes: list[Change]


def changes_of(entry: AuditEntry) -> list[Change]:
    """Return the fields an entry changed (every filled field for a creation or deletion)."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    names = [n for n in dict.fromkeys([*before, *after]) if n not in HIDDEN_FIELDS]
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old == new or (not before and new in (None, "", [], {})):
            continue
        changes.append(Change(name, old, new))
    return changes


def history(object_type: str, object_id: object, limit: int = 100) -> list[HistoryEntry]:
    """Return the newest audit entries of one record, with what each changed."""
    entries = AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id))
    return [
        HistoryEntry(entry, changes_of(entry)) for entry in entries.select_related("user")[:limit]
    ]


def _keys(queryset: QuerySet[Any]) -> QuerySet[Any, dict[str, Any]]:
    """Return a queryset's ids as text, to compare with AuditEntry.object_id."""
    keys: QuerySet[Any, dict[str, Any]] = queryset.annotate(key=Cast("id", CharField())).values(
        "key"
    )
    return keys


def visible_entries(request: HttpRequest) -> QuerySet[AuditEntry]:
    """Return the audit entries a user may read: all, or none about records hidden from them."""
    entries = AuditEntry.objects.all()
    if sees_everything(request.user):
        return entries
    shown = _keys(visible_exchanges(request.user))
    return (
        entries.exclude(object_type__in=EXCHANGE_PARTS)
        .exclude(Q(object_type="Exchange") & ~Q(object_id__in=shown))
        .exclude(Q(object_type="Source") & ~Q(object_id__in=_keys(visible_sources(request.user))))
    )


def search_entries(entries: QuerySet[AuditEntry], q: str) -> QuerySet[AuditEntry]:
    """Keep the entries whose action, record type, record id or user matches every term."""
    for term in search_terms(q):
        entries = entries.filter(
            Q(action__icontains=term)
            | Q(object_type__iexact=term)
            | Q(object_id=term)
            | Q(user__username__icontains=term)
        )
    return entries


FACETS = (
    FacetSpec("object_type", "Record", "object_type"),
    FacetSpec("action", "Action", "action"),
    FacetSpec("via", "Via", "via"),
    FacetSpec("user", "User", "user__username"),
)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """List every change to the ledger, newest first, with facets."""
    entries = search_entries(visible_entries(request), request.GET.get("q", ""))
    object_id = request.GET.get("object_id", "").strip()
    if object_id:
        entries = entries.filter(object_id=object_id)
    entries = apply_facets(entries, request, FACETS)
    facets = facet_counts(entries, request, FACETS)
    page = paginate(request, entries.select_related("user"))
    rows = [HistoryEntry(entry, changes_of(entry)) for entry in page.object_list]
    context = {"rows": rows, **list_context(request, page, facets, downloads=False)}
    return render(request, "liaison/audit_list.html", context)
