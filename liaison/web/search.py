"""Exchanges whose own text holds a search term, found through the text index.

The index (migration 0007_exchange_search) covers summary, outcomes, topics and city: an FTS5
trigram table on SQLite, a pg_trgm GIN index on PostgreSQL. Both find any run of three or more
characters, case aside, as LIKE '%term%' did; a shorter term is matched by LIKE on every row.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BigIntegerField, F, Func, Q, QuerySet

from liaison.ledger.models import Exchange

SHORTEST = 3  # trigrams: a shorter term has none to look up
# The indexed expression of the PostgreSQL migration, character for character.
POSTGRES_TEXT = "upper(summary || E'\\n' || outcomes || E'\\n' || topics::text || E'\\n' || city)"


def _like_pattern(term: str) -> str:
    """Return a LIKE pattern that finds the term anywhere, its wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def searchable(exchanges: QuerySet[Exchange]) -> QuerySet[Exchange]:
    """Prepare exchanges for a search: name their id so that SQLite cannot plan by it.

    "+id IN (matches)" is a test of each row the other filters leave (read in index order),
    where "id IN (matches)" would have SQLite fetch every match by its id, type or not.
    """
    if connection.vendor != "sqlite":
        return exchanges  # PostgreSQL plans a hashed set of the matches itself
    return exchanges.alias(
        text_id=Func(F("pk"), template="+%(expressions)s", output_field=BigIntegerField())
    )


def id_field(exchanges: QuerySet[Exchange]) -> str:
    """Return the name to test exchanges' ids against a set by: text_id once searchable."""
    return "text_id" if "text_id" in exchanges.query.annotations else "pk"


def text_ids(term: str) -> tuple[str, tuple[str, ...]] | Q:
    """Return the SQL that selects the ids of the exchanges whose summary, outcomes, topics or
    city hold the term, or for a term too short for the index, a filter that tests each row."""
    if len(term) < SHORTEST or connection.vendor not in ("sqlite", "postgresql"):
        return (
            Q(summary__icontains=term)
            | Q(outcomes__icontains=term)
            | Q(topics__icontains=term)
            | Q(city__icontains=term)
        )
    if connection.vendor == "sqlite":
        phrase = '"' + term.replace('"', '""') + '"'
        return "SELECT rowid FROM ledger_exchange_fts WHERE ledger_exchange_fts MATCH %s", (phrase,)
    sql = f"SELECT id FROM ledger_exchange WHERE {POSTGRES_TEXT} LIKE upper(%s)"
    return sql, (_like_pattern(term),)
