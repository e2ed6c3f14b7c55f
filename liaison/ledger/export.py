"""Export exchanges and actors as flat rows, for CSV and JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from liaison.ledger.models import Actor, Exchange
from liaison.ledger.queries import actors_with_details, exchanges_with_details

EXCHANGE_COLUMNS = (
    "id",
    "ref",
    "date",
    "date_precision",
    "end_date",
    "type",
    "channel",
    "city",
    "country",
    "participants",
    "people",
    "mechanism",
    "edition",
    "topics",
    "summary",
    "outcomes",
    "unit",
    "visibility",
    "review_status",
)
ACTOR_COLUMNS = (
    "id",
    "key",
    "name",
    "kind",
    "org_type",
    "country",
    "family",
    "parent",
    "names",
    "external_ids",
    "review_status",
)


def exchange_row(exchange: Exchange) -> dict[str, Any]:
    """Flatten an exchange into one row (lists joined by '; ', as the CSV import reads them)."""
    return {
        "id": exchange.pk,
        "ref": exchange.external_ref or "",
        "date": exchange.partial_date.isoformat(),
        "date_precision": exchange.date_precision,
        "end_date": exchange.end_date.isoformat() if exchange.end_date else "",
        "type": exchange.type,
        "channel": exchange.channel,
        "city": exchange.city,
        "country": exchange.country_id or "",
        "participants": "; ".join(
            f"{p.actor.name}|{p.role}" for p in exchange.participations.all()
        ),
        "people": "; ".join(
            f"{a.person.name}|{a.role}|{a.org.name if a.org else ''}"
            for a in exchange.attendances.all()
        ),
        "mechanism": exchange.mechanism.name if exchange.mechanism else "",
        "edition": exchange.edition.name if exchange.edition else "",
        "topics": "; ".join(exchange.topics),
        "summary": exchange.summary,
        "outcomes": exchange.outcomes,
        "unit": exchange.unit.code if exchange.unit else "",
        "visibility": exchange.visibility,
        "review_status": exchange.review_status,
    }


def actor_row(actor: Actor) -> dict[str, Any]:
    """Flatten an actor into one row."""
    return {
        "id": actor.pk,
        "key": actor.key or "",
        "name": actor.name,
        "kind": actor.kind,
        "org_type": actor.org_type,
        "country": actor.country_id or "",
        "family": actor.family,
        "parent": actor.parent.name if actor.parent else "",
        "names": "; ".join(n.name for n in actor.names.all()),
        "external_ids": "; ".join(str(i) for i in actor.external_ids.all()),
        "review_status": actor.review_status,
    }


def rows(what: str) -> tuple[tuple[str, ...], Iterator[dict[str, Any]]]:
    """Return the columns and rows of 'exchanges' or 'actors', read in chunks."""
    if what == "exchanges":
        return EXCHANGE_COLUMNS, (
            exchange_row(e) for e in exchanges_with_details().iterator(chunk_size=2000)
        )
    if what == "actors":
        return ACTOR_COLUMNS, (
            actor_row(a) for a in actors_with_details().iterator(chunk_size=2000)
        )
    raise ValueError(f"cannot export {what!r}")


def write(what: str, fmt: str, out: TextIO) -> int:
    """Write every row of a table as CSV or JSON Lines; return how many rows."""
    columns, records = rows(what)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for record in records:
            writer.writerow(record)
            count += 1
    else:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
