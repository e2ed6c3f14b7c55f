"""Exchanges whose own text holds a search term: tested row by row, or found through the index.

The index (migration 0007_exchange_search) covers summary, outcomes, topics and city: an FTS5
trigram table on SQLite, a pg_trgm GIN index on PostgreSQL. Both find any run of three or more
characters, case aside, as LIKE '%term%' does. A term is first tried on the newest exchanges:
one found in many of them (a common word) is tested on each row the list reads, which stops
as soon as a page is full; a rare one is looked up in the index as one set of ids. A term
shorter than three characters has no trigram, so it is always tested row by row.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from liaison.ledger.models import Exchange

SHORTEST = 3  # trigrams: a shorter term has none to look up
PROBE = 2000  # the newest exchanges a term is tried on
COMMON = 20  # found in this many of them (1%), a term is tested row by row
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


def text_test(term: str) -> Q:
    """Return a filter that tests each exchange's summary, outcomes, topics and city.

    On PostgreSQL it is one test of the indexed text in a form its index cannot serve. A term
    tested row by row is a common one: through the index, the planner read every row holding it
    (142,000 of a million for "seminar") to intersect them with the few thousand the other
    filters leave, 35-120 ms instead of 8. Planned as found in a third of the rows, the test is
    made on the rows the list reads in date order (four separate tests were planned as rare).
    """
    if connection.vendor == "postgresql":
        table = Exchange._meta.db_table
        qualified = POSTGRES_TEXT
        for name in ("summary", "outcomes", "topics", "city"):
            qualified = qualified.replace(name, f'"{table}"."{name}"')
        test = RawSQL(f"strpos({qualified}, upper(%s)) > 0", [term], BooleanField())
        return Q(test)
    # The shortest fields first: a row found by its city or topics has its summary left unread.
    return (
        Q(city__icontains=term)
        | Q(topics__icontains=term)
        | Q(outcomes__icontains=term)
        | Q(summary__icontains=term)
    )


def is_common(term: str) -> bool:
    """Tell whether a term is in at least COMMON of the PROBE newest exchanges."""
    newest = Exchange.objects.order_by("-pk").values("pk")[:PROBE]
    found = Exchange.objects.filter(pk__in=newest).filter(text_test(term)).values("pk")
    return found[:COMMON].count() >= COMMON


def text_ids(term: str, rowwise: bool | None = None) -> tuple[str, tuple[str, ...]] | Q:
    """Return the SQL that selects the ids of the exchanges whose summary, outcomes, topics or
    city hold the term, or a filter that tests each row: for a short or common term, or when
    rowwise says so (None: decide by how common the term is)."""
    if len(term) < SHORTEST or connection.vendor not in ("sqlite", "postgresql"):
        return text_test(term)
    if rowwise is None:
        rowwise = is_common(term)
    if rowwise:
        return text_test(term)
    if connection.vendor == "sqlite":
        phrase = '"' + term.replace('"', '""') + '"'
        return "SELECT rowid FROM ledger_exchange_fts WHERE ledger_exchange_fts MATCH %s", (phrase,)
    sql = f"SELECT id FROM ledger_exchange WHERE {POSTGRES_TEXT} LIKE upper(%s)"
    return sql, (_like_pattern(term),)
