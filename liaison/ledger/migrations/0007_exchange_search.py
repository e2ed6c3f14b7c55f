"""A text index of exchanges (summary, outcomes, topics, city) for the web search.

SQLite: an FTS5 table with the trigram tokenizer (it finds any run of three or more characters,
as the LIKE '%word%' it replaces did), kept in step with the exchanges by triggers.
PostgreSQL: a pg_trgm GIN index on the upper-cased fields joined by newlines, which serves
LIKE on that same expression. Searches of one or two characters still read every row.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FIELDS = "summary, outcomes, topics, city"
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE ledger_exchange_fts USING fts5({FIELDS},"
    " content='ledger_exchange', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER ledger_exchange_fts_insert AFTER INSERT ON ledger_exchange BEGIN"
    f" INSERT INTO ledger_exchange_fts(rowid, {FIELDS})"
    " VALUES (new.id, new.summary, new.outcomes, new.topics, new.city); END",
    "CREATE TRIGGER ledger_exchange_fts_delete AFTER DELETE ON ledger_exchange BEGIN"
    f" INSERT INTO ledger_exchange_fts(ledger_exchange_fts, rowid, {FIELDS})"
    " VALUES ('delete', old.id, old.summary, old.outcomes, old.topics, old.city); END",
    # Only a change of a searched field rewrites the exchange's index entries.
    "CREATE TRIGGER ledger_exchange_fts_update AFTER UPDATE OF"
    f" {FIELDS} ON ledger_exchange BEGIN"
    f" INSERT INTO ledger_exchange_fts(ledger_exchange_fts, rowid, {FIELDS})"
    " VALUES ('delete', old.id, old.summary, old.outcomes, old.topics, old.city);"
    f" INSERT INTO ledger_exchange_fts(rowid, {FIELDS})"
    " VALUES (new.id, new.summary, new.outcomes, new.topics, new.city); END",
    "INSERT INTO ledger_exchange_fts(ledger_exchange_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS ledger_exchange_fts_insert",
    "DROP TRIGGER IF EXISTS ledger_exchange_fts_delete",
    "DROP TRIGGER IF EXISTS ledger_exchange_fts_update",
    "DROP TABLE IF EXISTS ledger_exchange_fts",
]
# The same expression as liaison/web/search.py's; PostgreSQL uses the index only for it.
POSTGRES_TEXT = "upper(summary || E'\\n' || outcomes || E'\\n' || topics::text || E'\\n' || city)"
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ledger_exchange_text_trgm ON ledger_exchange"
    f" USING gin (({POSTGRES_TEXT}) gin_trgm_ops)",
    # Statistics of the indexed expression: without them a common word is planned as rare.
    "ANALYZE ledger_exchange",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ledger_exchange_text_trgm"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0006_source_hash_index"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
