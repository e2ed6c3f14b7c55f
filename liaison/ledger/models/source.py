"""Sources, the evidence spans in them, and the numeric claims they make."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liaison.domain.enums import ReviewStatus
from liaison.ledger.models.exchange import Exchange
from liaison.ledger.models.fields import choices


class Source(models.Model):
    """A document that reports exchanges or claims: a press release, an article, a note."""

    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, help_text="sha256 of the text")
    text = models.TextField(blank=True)
    doc = models.CharField(max_length=500, blank=True, help_text="the input it was ingested from")
    version = models.PositiveIntegerField(default=1, help_text="1 + earlier texts at its URL")
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    extracted_at = models.DateTimeField(
        null=True, blank=True, help_text="when its events and claims were stored"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # A stored text never changes (a new text is a new version) and its hash names it: audit
    # entries keep the hash, not a second copy of every text.
    audit_omits = ("text",)

    class Meta:
        ordering = ["-published", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash"], condition=~Q(content_hash=""), name="unique_source_text"
            )
        ]
        # SQLite cannot look a hash up through the partial unique index above (it does not infer
        # `content_hash <> ''` from `content_hash = ?`), so a plain index keeps ingest's lookups
        # from reading every stored text.
        indexes = [models.Index(fields=["url"]), models.Index(fields=["content_hash"])]

    def __str__(self) -> str:
        return self.title or self.url or f"source {self.pk}"


class Claim(models.Model):
    """A published figure: "more than 600 political parties", as of a date."""

    value = models.FloatField()
    qualifier = models.CharField(max_length=30, default="exactly")
    subject = models.CharField(max_length=500)
    as_of = models.DateField(null=True, blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    review_status = models.CharField(
        max_length=10, choices=choices(ReviewStatus), default=ReviewStatus.CONFIRMED
    )

    class Meta:
        ordering = ["-as_of", "id"]

    def __str__(self) -> str:
        return f"{self.qualifier} {self.value:g} {self.subject}"


class Evidence(models.Model):
    """A span of a source that supports an exchange or a claim."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    exchange = models.ForeignKey(
        Exchange, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    text = models.TextField()
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["source", "start"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.text[:80]


class QuarantinedInput(models.Model):
    """An input that could not be ingested, set aside with the reason."""

    doc = models.CharField(max_length=500, help_text="the file or record that failed")
    reason = models.TextField()
    content_hash = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="bytes, when known")
    seen_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text="when a later run ingested it"
    )

    class Meta:
        ordering = ["-seen_at", "doc"]
        constraints = [models.UniqueConstraint(fields=["doc"], name="unique_quarantined_doc")]

    def __str__(self) -> str:
        return f"{self.doc}: {self.reason}"
