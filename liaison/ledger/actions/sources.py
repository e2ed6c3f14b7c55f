"""Actions on what ingest leaves behind: sources marked as extracted, inputs set aside."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from liaison.domain.enums import ReviewStatus
from liaison.ledger.actions.audit import SYSTEM, Author, created, update_fields
from liaison.ledger.models import Claim, ImportBatch, QuarantinedInput, Source


def mark_extracted(
    source: Source, author: Author = SYSTEM, batch: ImportBatch | None = None
) -> None:
    """Record that a source's events and claims are stored, so a later run skips it."""
    update_fields(author, "mark_extracted", source, {"extracted_at": timezone.now()}, batch)


@transaction.atomic
def quarantine_input(
    doc: str,
    reason: str,
    content_hash: str = "",
    size: int | None = None,
    author: Author = SYSTEM,
    batch: ImportBatch | None = None,
) -> QuarantinedInput:
    """Set an input aside with the reason it could not be ingested (once per input)."""
    row = QuarantinedInput.objects.filter(doc=doc).first()
    if row is None:
        row = QuarantinedInput.objects.create(
            doc=doc, reason=reason, content_hash=content_hash, size=size
        )
        created(author, "quarantine_input", row, batch)
        return row
    values = {"reason": reason, "content_hash": content_hash, "size": size, "resolved_at": None}
    update_fields(author, "quarantine_input", row, values, batch)
    return row


@transaction.atomic
def release_input(doc: str, author: Author = SYSTEM, batch: ImportBatch | None = None) -> bool:
    """Mark a quarantined input as ingested after all; return whether one was waiting."""
    row = QuarantinedInput.objects.filter(doc=doc, resolved_at=None).first()
    if row is None:
        return False
    return update_fields(author, "release_input", row, {"resolved_at": timezone.now()}, batch)


@transaction.atomic
def set_claim_review_status(claim: Claim, status: ReviewStatus, author: Author = SYSTEM) -> bool:
    """Confirm, correct or reject a claim."""
    return update_fields(author, "review_claim", claim, {"review_status": status})
